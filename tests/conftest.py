import os, tempfile, pytest

@pytest.fixture(scope='session', autouse=True)
def fastai_home(tmp_path_factory):
    "Keep the tests' data and models out of the user's ~/.fastai"
    d = tmp_path_factory.mktemp('fastai_home')
    old = os.environ.get('FASTAI_HOME')
    os.environ['FASTAI_HOME'] = str(d)
    yield d
    if old is None: os.environ.pop('FASTAI_HOME', None)
    else: os.environ['FASTAI_HOME'] = old

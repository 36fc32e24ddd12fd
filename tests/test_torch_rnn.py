"""PyTorch's own module tests of `nn.LSTM`, `nn.GRU`, `nn.LSTMCell` and `nn.GRUCell`, run on PyTorch's classes (the
control) and on ours (`rnnbook.lstm`, `rnnbook.gru`), case by case; then ours against PyTorch's with the weights copied.

Ported, without importing `torch.testing._internal` at run time, from pytorch/pytorch:
- test/test_modules.py at commit 33263640046f558d38b8e4bc306b1ca6abbf0b1f: `test_forward`, `test_factory_kwargs`,
  `test_repr`, `test_pickle`, `test_non_contiguous_tensors`, `test_grad`, `test_if_train_and_eval_modes_differ`,
  `test_device_ctx_init`, `test_errors`, run on the ModuleInfo samples of torch/testing/_internal/common_modules.py of
  the torch 2.14.1 release (ported in tests/torch_rnn_samples.py);
- test/test_nn.py at commit 74f2fa66feec00335f72813782f4802e80bff4cb: `test_rnn_args_check`,
  `test_projections_lstm_args_check`, `test_rnn_initial_hidden_state`, `test_projections_lstm_initial_hidden_state`,
  `test_projections_errors_on_gru_and_rnn`, `test_RNN_input_size_zero`, `test_error_RNN_seq_len_zero`,
  `test_RNN_change_dropout`, `test_RNN_dropout_state`, `test_RNN_cudnn_weight_norm`, `test_partial_flat_weights`,
  `test_RNN_cell`, `test_LSTM_cell`, `test_LSTM_cell_forward_input_size`, `test_LSTM_cell_forward_hidden_size`,
  `test_RNN_cell_no_broadcasting`, and `_test_RNN_cpu_vs_cudnn` (each named where it is ported). Tests that need CUDA,
  cuDNN or several GPUs upstream run their CPU part here (said where); `nn.RNN`/`nn.RNNCell` parts are left out.

Every case runs on both implementations. PyTorch's error *messages* are asserted for PyTorch's classes only: ours
raise the same exception classes with messages of their own. Error cases that this torch does not check yet (it is
older than the release they were ported from) are skipped for the control, never for ours.

PyTorch's licence (BSD-3-Clause), whose notice must stay with this code:
"""
# From PyTorch:
#
# Copyright (c) 2016-     Facebook, Inc            (Adam Paszke)
# Copyright (c) 2014-     Facebook, Inc            (Soumith Chintala)
# Copyright (c) 2011-2014 Idiap Research Institute (Ronan Collobert)
# Copyright (c) 2012-2014 Deepmind Technologies    (Koray Kavukcuoglu)
# Copyright (c) 2011-2012 NEC Laboratories America (Koray Kavukcuoglu)
# Copyright (c) 2011-2013 NYU                      (Clement Farabet)
# Copyright (c) 2006-2010 NEC Laboratories America (Ronan Collobert, Leon Bottou, Iain Melvin, Jason Weston)
# Copyright (c) 2006      Idiap Research Institute (Samy Bengio)
# Copyright (c) 2001-2004 Idiap Research Institute (Ronan Collobert, Samy Bengio, Johnny Mariethoz)
# All rights reserved.
#
# Redistribution and use in source and binary forms, with or without
# modification, are permitted provided that the following conditions are met:
#
# 1. Redistributions of source code must retain the above copyright
#    notice, this list of conditions and the following disclaimer.
#
# 2. Redistributions in binary form must reproduce the above copyright
#    notice, this list of conditions and the following disclaimer in the
#    documentation and/or other materials provided with the distribution.
#
# 3. Neither the names of Facebook, Deepmind Technologies, NYU, NEC Laboratories America
#    and IDIAP Research Institute nor the names of its contributors may be
#    used to endorse or promote products derived from this software without
#    specific prior written permission.
#
# THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS"
# AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE
# IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE
# ARE DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT OWNER OR CONTRIBUTORS BE
# LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR
# CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF
# SUBSTITUTE GOODS OR SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS
# INTERRUPTION) HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN
# CONTRACT, STRICT LIABILITY, OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE)
# ARISING IN ANY WAY OUT OF THE USE OF THIS SOFTWARE, EVEN IF ADVISED OF THE
# POSSIBILITY OF SUCH DAMAGE.
import io, itertools, tempfile, warnings
from copy import deepcopy
from itertools import product
import pytest, torch
import torch.nn as nn
import torch.nn.utils.rnn as rnn_utils
import torch.nn.utils.prune
from torch.testing import assert_close
from rnnbook.lstm import LSTM, LSTMCell
from rnnbook.gru import GRU, GRUCell
from rnnbook.check import rnn_diffs
from torch_rnn_samples import (SAMPLES, ERROR_SAMPLES, TRAIN_AND_EVAL_DIFFER, ModuleErrorEnum, freeze_rng_state,
                               module_inputs_torch_nn_RNN_GRU, make_packed_sequence)

IMPLS = dict(torch=dict(LSTM=nn.LSTM, GRU=nn.GRU, LSTMCell=nn.LSTMCell, GRUCell=nn.GRUCell),
             ours=dict(LSTM=LSTM, GRU=GRU, LSTMCell=LSTMCell, GRUCell=GRUCell))
PINNED = '2.14'  # the release the samples come from

def samples(name, dtype=torch.float32, requires_grad=False, training=True):
    return list(SAMPLES[name](None, device='cpu', dtype=dtype, requires_grad=requires_grad, training=training))

def cases(f=None, dtypes=(torch.float32, torch.float64), trainings=(True, False)):
    "Parametrize `f` over implementation, module, sample, dtype and training mode, as `@modules(module_db)` does"
    if f is None: return lambda f: cases(f, dtypes, trainings)
    ps = [pytest.param(impl, n, i, id=f'{impl}-{n}-{i}') for n in SAMPLES for i in range(len(samples(n))) for impl in IMPLS]
    f = pytest.mark.parametrize('impl,name,i', ps)(f)
    if dtypes: f = pytest.mark.parametrize('dtype', dtypes, ids=lambda d: str(d)[6:])(f)
    if trainings: f = pytest.mark.parametrize('training', trainings, ids=['train', 'eval'])(f)
    return f

def _assert_module_parameters_and_buffer_are(module, device, dtype):
    device = torch.device(device)
    for kind,items in (('Parameter', module.named_parameters()), ('Buffer', module.named_buffers())):
        for n,t in items:
            assert t.device == device, f'{kind} {n} is on device {t.device} instead of {device}'
            if t.dtype.is_floating_point: assert t.dtype == dtype, f'{kind} {n} is of dtype {t.dtype} instead of {dtype}'

def _make(impl, name, mi, dtype, training):
    args, kwargs = mi.constructor_input.args, mi.constructor_input.kwargs
    m = IMPLS[impl][name](*args, **kwargs)
    m.to('cpu').to(dtype)
    m.train(training)
    return m

# ---- test/test_modules.py ----
@cases
def test_forward(impl, name, i, dtype, training):
    "test_modules.py: test_forward"
    mi = samples(name, dtype, False, training)[i]
    with freeze_rng_state():
        m = _make(impl, name, mi, dtype, training)
        args, kwargs = mi.forward_input.args, mi.forward_input.kwargs
        outputs = m(*args, **kwargs)
        if mi.reference_fn is not None: assert_close(outputs, mi.reference_fn(m, *args, **kwargs))
        getattr(m, {torch.float32: 'float', torch.float64: 'double'}[dtype])()
        m(*args, **kwargs)
        _assert_module_parameters_and_buffer_are(m, 'cpu', dtype)

@cases
def test_factory_kwargs(impl, name, i, dtype, training):
    "test_modules.py: test_factory_kwargs (every sample creates parameters: the mock that finds that out is left out)"
    mi = samples(name, dtype, False, training)[i]
    m = IMPLS[impl][name](*mi.constructor_input.args, **(mi.constructor_input.kwargs | dict(device='cpu', dtype=dtype)))
    m.train(training)
    _assert_module_parameters_and_buffer_are(m, 'cpu', dtype)

@cases
def test_repr(impl, name, i, dtype, training):
    "test_modules.py: test_repr"
    m = _make(impl, name, samples(name, dtype, False, training)[i], dtype, training)
    m.__repr__(); str(m)

@cases
def test_pickle(impl, name, i, dtype, training):
    "test_modules.py: test_pickle (torch.load with weights_only=False: a whole module is pickled)"
    mi = samples(name, dtype, False, training)[i]
    with freeze_rng_state():
        m = _make(impl, name, mi, dtype, training)
        args, kwargs = mi.forward_input.args, mi.forward_input.kwargs
        output = m(*args, **kwargs)
        with tempfile.TemporaryFile() as f:
            torch.save(m, f); f.seek(0)
            m_copy = torch.load(f, weights_only=False)
            assert_close(output, m_copy(*args, **kwargs))

def _traverse_obj(obj, func):
    if isinstance(obj, (tuple, list)): return type(obj)(_traverse_obj(o, func) for o in obj)
    elif isinstance(obj, dict): return {name: _traverse_obj(o, func) for name, o in obj.items()}
    elif isinstance(obj, (torch.Tensor, torch.nn.Parameter)): return func(obj)

def _retain_grad(obj):
    def inner_retain_grad(obj):
        if obj.requires_grad: obj.retain_grad()
    _traverse_obj(obj, inner_retain_grad)

def _get_grads(obj):
    def inner_get_grad(obj):
        if obj.requires_grad: return obj.grad
    return _traverse_obj(obj, inner_get_grad)

def _zero_grad(obj):
    def inner_zero_grad(obj):
        if obj.grad is not None: obj.grad = None
    _traverse_obj(obj, inner_zero_grad)

@cases
def test_non_contiguous_tensors(impl, name, i, dtype, training):
    "test_modules.py: test_non_contiguous_tensors"
    mi = samples(name, dtype, True, training)[i]
    def _make_non_contiguous(obj):
        def inner_make_non_contiguous(obj):
            if not isinstance(obj, torch.Tensor) or obj.dim() == 0: return obj
            out = torch.repeat_interleave(obj, 2, dim=-1)
            out = out[..., ::2].detach()
            out.requires_grad = obj.requires_grad
            return out
        return _traverse_obj(obj, inner_make_non_contiguous)
    input_args, input_kwargs = mi.forward_input.args, mi.forward_input.kwargs
    m = _make(impl, name, mi, dtype, training)
    _retain_grad((input_args, input_kwargs))
    with freeze_rng_state():
        default_output = m(*input_args, **input_kwargs)
        if isinstance(default_output, torch.Tensor):
            grad_output = default_output.clone().detach_().normal_()
            default_output.backward(grad_output, retain_graph=True)
        else:
            grad_output = tuple(_traverse_obj(o, lambda o: o.clone().detach_().normal_() if o.requires_grad else None)
                                for o in default_output)
            flattened_default_output, _ = torch.utils._pytree.tree_flatten(default_output)
            flattened_grad_output, _ = torch.utils._pytree.tree_flatten(grad_output)
            for o, g_o in zip(flattened_default_output, flattened_grad_output):
                if o.requires_grad: o.backward(g_o, retain_graph=True)
    default_input_args_grad, default_input_kwargs_grad = deepcopy(_get_grads((input_args, input_kwargs)))
    default_param_grad = deepcopy([p.grad for p in m.parameters()])
    nc_input_args, nc_input_kwargs = _make_non_contiguous((input_args, input_kwargs))
    nc_grad_output = _make_non_contiguous(grad_output)
    inputs = [(input_args, input_kwargs), (nc_input_args, nc_input_kwargs)]
    grads = [grad_output, nc_grad_output]
    for (in_args, in_kwargs), g_out in product(inputs, grads):
        g_out_copy = deepcopy(g_out)
        _zero_grad((in_args, in_kwargs))
        _zero_grad(list(m.parameters()))
        with freeze_rng_state():
            out = m(*in_args, **in_kwargs)
            if isinstance(out, torch.Tensor): out.backward(g_out_copy, retain_graph=True)
            else:
                flattened_out, _ = torch.utils._pytree.tree_flatten(out)
                flattened_g_out_copy, _ = torch.utils._pytree.tree_flatten(g_out_copy)
                for o, g_o in zip(flattened_out, flattened_g_out_copy):
                    if o.requires_grad: o.backward(g_o, retain_graph=True)
        input_args_grad, input_kwargs_grad = _get_grads((in_args, in_kwargs))
        assert_close(out, default_output)
        assert_close(input_args_grad, default_input_args_grad, atol=1e-4, rtol=0)
        assert_close(input_kwargs_grad, default_input_kwargs_grad, atol=1e-4, rtol=0)
        assert_close([p.grad for p in m.parameters()], default_param_grad)

def gradcheck(fn, inputs, **kwargs):
    "common_utils.gradcheck: torch.autograd.gradcheck with batched gradients checked, in fast mode"
    return torch.autograd.gradcheck(fn, inputs, **({'check_batched_grad': True, 'fast_mode': True} | kwargs))

@pytest.mark.slow  # about 9 minutes on one CPU thread: gradcheck of our Python loop, per parameter as upstream
@cases(dtypes=None)
def test_grad(impl, name, i, training, dtype=torch.float64):
    "test_modules.py: test_grad (_test_gradients_helper with gradcheck), in float64 as upstream"
    mi = samples(name, dtype, True, training)[i]
    m = _make(impl, name, mi, dtype, training)
    params = tuple(m.parameters())
    input_args, input_kwargs = mi.forward_input.args, mi.forward_input.kwargs
    other_kwargs, kwarg_tensors = {}, []
    for k, obj in input_kwargs.items():
        if isinstance(obj, torch.Tensor): kwarg_tensors.append((k, obj))
        else: other_kwargs[k] = obj
    def fn_to_gradcheck(*flat_input_and_params):
        input_and_params = torch.utils._pytree.tree_unflatten(flat_input_and_params, flat_spec)
        new_input_args = input_and_params[:len(input_args)]
        kwarg_args = input_and_params[-len(kwarg_tensors):]
        new_kwargs = {k: obj for (k, _), obj in zip(kwarg_tensors, kwarg_args)}
        with freeze_rng_state():
            output = m(*new_input_args, **new_kwargs, **other_kwargs)
            output_flattened, _ = torch.utils._pytree.tree_flatten(output)
            return output_flattened
    # check total derivative
    grad_input = input_args + params + tuple(obj for (_, obj) in kwarg_tensors)
    flat_input, flat_spec = torch.utils._pytree.tree_flatten(grad_input)
    assert gradcheck(fn_to_gradcheck, flat_input, nondet_tol=0.0)
    # check partial derivatives
    old_params_requires_grad = [p.requires_grad for p in params]
    for p in params: p.requires_grad = False
    for p, old in zip(params, old_params_requires_grad):
        p.requires_grad = old
        grad_input = input_args + params + tuple(obj for (_, obj) in kwarg_tensors)
        flat_input, flat_spec = torch.utils._pytree.tree_flatten(grad_input)
        assert gradcheck(fn_to_gradcheck, flat_input, nondet_tol=0.0)
        p.requires_grad = False

@cases(trainings=None)
def test_if_train_and_eval_modes_differ(impl, name, i, dtype, training=True):
    "test_modules.py: test_if_train_and_eval_modes_differ (train_only): the ModuleInfo's train_and_eval_differ holds for ours too"
    mi = samples(name, dtype, False, training)[i]
    m = _make(impl, name, mi, dtype, training)
    delattr(m, 'training')
    try: m(*mi.forward_input.args, **mi.forward_input.kwargs)
    except AttributeError as e:
        if "'training'" in str(e): assert TRAIN_AND_EVAL_DIFFER[name]
        else: raise

@cases
def test_device_ctx_init(impl, name, i, dtype, training):
    "test_modules.py: test_device_ctx_init (onlyCPU): a module built under `torch.device('meta')` has meta parameters like the CPU ones"
    mi = samples(name, dtype, False, training)[i]
    c_args, c_kwargs = mi.constructor_input.args, mi.constructor_input.kwargs
    m_cpu = IMPLS[impl][name](*c_args, **c_kwargs)
    with torch.device('meta'): m = IMPLS[impl][name](*c_args, **c_kwargs)
    for p_meta, p_cpu in itertools.chain(zip(m.parameters(), m_cpu.parameters()), zip(m.buffers(), m_cpu.buffers())):
        assert p_meta.is_meta
        assert (p_meta.shape, p_meta.dtype, p_meta.stride()) == (p_cpu.shape, p_cpu.dtype, p_cpu.stride())

def _error_cases():
    return [pytest.param(impl, n, i, id=f'{impl}-{n}-{i}') for n in ERROR_SAMPLES
            for i in range(len(ERROR_SAMPLES[n](None, 'cpu', torch.float32, False, True))) for impl in IMPLS]

@pytest.mark.parametrize('dtype', [torch.float32, torch.float64], ids=['float32', 'float64'])
@pytest.mark.parametrize('impl,name,i', _error_cases())
def test_errors(impl, name, i, dtype):
    "test_modules.py: test_errors: PyTorch's class and message for PyTorch's modules, PyTorch's class for ours"
    error_input = ERROR_SAMPLES[name](None, 'cpu', dtype, False, True)[i]
    mi = error_input.module_error_input
    c_args, c_kwargs = mi.constructor_input.args, mi.constructor_input.kwargs
    regex = error_input.error_regex if impl == 'torch' else None
    cls = IMPLS[impl][name]
    try:
        with pytest.raises(error_input.error_type, match=regex):
            if error_input.error_on == ModuleErrorEnum.CONSTRUCTION_ERROR: cls(*c_args, **c_kwargs)
            else:
                m = cls(*c_args, **c_kwargs)
                m(*mi.forward_input.args, **mi.forward_input.kwargs)
    except pytest.fail.Exception:
        if impl == 'torch' and not torch.__version__.startswith(PINNED): pytest.skip(f'torch {torch.__version__} does not check this yet')
        raise

# ---- test/test_nn.py (TestNN) ----
impls = pytest.mark.parametrize('impl', list(IMPLS))

@impls
@pytest.mark.parametrize('mode', ['GRU', 'LSTM'])
def test_rnn_args_check(impl, mode):
    "test_nn.py: test_rnn_args_check (rnn_modes without 'RNN')"
    input_size, hidden_size, num_layers, batch_size, seq_len, num_directions = 3, 5, 2, 4, 6, 1
    bad_size = 7  # prime number so that no size can divide it.
    def test(input_shape, hidden_shape, mode):
        for input, hidden in get_inputs(input_shape, hidden_shape, mode):
            model = IMPLS[impl][mode](input_size, hidden_size, num_layers)
            with pytest.raises(RuntimeError): model(input, hidden)
    correct_input_shape = (seq_len, batch_size, input_size)
    correct_hidden_shape = (num_layers * num_directions, batch_size, hidden_size)
    def update_shape(shape, dim, new_dim_size):
        new_shape = list(shape); new_shape[dim] = new_dim_size
        return tuple(new_shape)
    def get_inputs(input_shape, hidden_shape, mode):
        input, hidden = torch.randn(input_shape), torch.randn(hidden_shape)
        if mode != 'LSTM': return [(input, hidden)]
        if hidden_shape == correct_hidden_shape: return [(input, (hidden, hidden))]
        good_hidden = torch.randn(correct_hidden_shape)
        return [(input, (hidden, good_hidden)), (input, (good_hidden, hidden))]
    test(update_shape(correct_input_shape, 1, bad_size), correct_hidden_shape, mode)   # Incorrect input batch size
    test(correct_input_shape, update_shape(correct_hidden_shape, 1, bad_size), mode)   # Incorrect hidden batch size
    test(update_shape(correct_input_shape, 2, bad_size), correct_hidden_shape, mode)   # Incorrect input size
    test(correct_input_shape, update_shape(correct_hidden_shape, 2, bad_size), mode)   # Incorrect hidden size
    test(correct_input_shape, update_shape(correct_hidden_shape, 0, bad_size), mode)   # Incorrect hidden[0]

@impls
def test_projections_lstm_args_check(impl):
    "test_nn.py: test_projections_lstm_args_check"
    input_size, hidden_size, proj_size, num_layers, batch_size, seq_len, num_directions = 3, 5, 2, 2, 4, 6, 1
    bad_size = 7
    def test(input_shape, hidden_h_shape, hidden_c_shape):
        input, hidden = torch.randn(input_shape), (torch.randn(hidden_h_shape), torch.randn(hidden_c_shape))
        model = IMPLS[impl]['LSTM'](input_size, hidden_size, num_layers, proj_size=proj_size)
        with pytest.raises(RuntimeError): model(input, hidden)
    correct_input_shape = (seq_len, batch_size, input_size)
    correct_hidden_h_shape = (num_layers * num_directions, batch_size, proj_size)
    correct_hidden_c_shape = (num_layers * num_directions, batch_size, hidden_size)
    def update_shape(shape, dim, new_dim_size):
        new_shape = list(shape); new_shape[dim] = new_dim_size
        return tuple(new_shape)
    test(update_shape(correct_input_shape, 1, bad_size), correct_hidden_h_shape, correct_hidden_c_shape)
    test(correct_input_shape, update_shape(correct_hidden_h_shape, 1, bad_size), update_shape(correct_hidden_c_shape, 1, bad_size))
    test(update_shape(correct_input_shape, 2, bad_size), correct_hidden_h_shape, correct_hidden_c_shape)
    test(correct_input_shape, update_shape(correct_hidden_h_shape, 2, bad_size), update_shape(correct_hidden_c_shape, 2, bad_size))
    test(correct_input_shape, update_shape(correct_hidden_h_shape, 0, bad_size), update_shape(correct_hidden_c_shape, 0, bad_size))
    test(correct_input_shape, update_shape(correct_hidden_h_shape, 0, hidden_size), correct_hidden_c_shape)  # proj size = hidden size
    test(correct_input_shape, update_shape(correct_hidden_h_shape, 0, bad_size), correct_hidden_c_shape)
    test(correct_input_shape, correct_hidden_h_shape, update_shape(correct_hidden_c_shape, 0, bad_size))

@impls
@pytest.mark.parametrize('mode', ['GRU', 'LSTM'])
def test_rnn_initial_hidden_state(impl, mode):
    "test_nn.py: test_rnn_initial_hidden_state"
    rnn = IMPLS[impl][mode](30, 20, 2)
    input, hidden = torch.randn(10, 32, 30), torch.zeros(2, 32, 20)
    if mode == 'LSTM': hidden = (hidden, hidden)
    output1, hidden1 = rnn(input, hidden)
    output2, hidden2 = rnn(input)
    assert_close(output1, output2); assert_close(hidden1, hidden2)

@impls
def test_projections_lstm_initial_hidden_state(impl):
    "test_nn.py: test_projections_lstm_initial_hidden_state"
    for bidir in [False, True]:
        rnn = IMPLS[impl]['LSTM'](30, 20, 2, bidirectional=bidir, proj_size=10)
        num_dirs = 2 if bidir else 1
        input = torch.randn(10, 32, 30)
        hidden = (torch.zeros(2 * num_dirs, 32, 10), torch.zeros(2 * num_dirs, 32, 20))
        output1, hidden1 = rnn(input, hidden)
        output2, hidden2 = rnn(input)
        assert_close(output1, output2); assert_close(hidden1, hidden2)

@impls
def test_projections_errors_on_gru_and_rnn(impl):
    "test_nn.py: test_projections_errors_on_gru_and_rnn (GRU)"
    with pytest.raises(ValueError, match="proj_size argument is only supported for LSTM, not RNN or GRU" if impl == 'torch' else 'proj_size'):
        IMPLS[impl]['GRU'](30, 20, 2, proj_size=10)

@impls
@pytest.mark.parametrize('mode', ['GRU', 'LSTM'])
def test_RNN_input_size_zero(impl, mode):
    "test_nn.py: test_RNN_input_size_zero (a batch of size zero)"
    input = torch.zeros((5, 0, 3))
    rnn = IMPLS[impl][mode](input_size=3, hidden_size=4)
    outs = rnn(input)
    assert outs[0].shape == torch.Size([5, 0, 4])
    outs[0].sum().backward()  # Check that backward does not cause a hard error

@impls
@pytest.mark.parametrize('mode', ['GRU', 'LSTM'])
def test_error_RNN_seq_len_zero(impl, mode):
    "test_nn.py: test_error_RNN_seq_len_zero (skipped upstream without cuDNN; its CPU part)"
    for bidirectional in [True, False]:
        input = torch.ones(0, 10, 5, dtype=torch.double)
        rnn = IMPLS[impl][mode](5, 6, bidirectional=bidirectional).double()
        with pytest.raises(RuntimeError, match="Expected sequence length to be larger than 0 in RNN" if impl == 'torch' else None): rnn(input)

@impls
@pytest.mark.parametrize('mode', ['GRU', 'LSTM'])
def test_RNN_change_dropout(impl, mode):
    "test_nn.py: test_RNN_change_dropout (cuDNN-only upstream, on nn.RNN(relu); here its CPU part on LSTM and GRU)"
    for train in (True, False):
        rnn = IMPLS[impl][mode](100, 100, 2, dropout=0).double()
        input = torch.rand(3, 2, 100, dtype=torch.double)
        rnn.train(train)
        prev_output = None
        for p in (0, 0.5, 0, 0.7, 0.2, 1, 0.2, 0):
            rnn.dropout = p
            output1, hy1 = rnn(input)
            output2, hy2 = rnn(input)
            if mode == 'LSTM': hy1, hy2 = hy1[0], hy2[0]
            if p == 0 or p == 1 or not train:
                assert_close(output1, output2); assert_close(hy1, hy2)
            else:
                assert not torch.allclose(output1, output2); assert not torch.allclose(hy1, hy2)
            if prev_output is not None:
                if not train: assert_close(output1.data, prev_output); assert_close(output2.data, prev_output)
                else: assert not torch.allclose(output1.data, prev_output); assert not torch.allclose(output2.data, prev_output)
            prev_output = output1.data

@impls
@pytest.mark.parametrize('mode', ['GRU', 'LSTM'])
def test_RNN_dropout_state(impl, mode):
    "test_nn.py: test_RNN_dropout_state (cuDNN-only upstream, on nn.RNN(relu); here its CPU part on LSTM and GRU)"
    for p in (0, 0.1234):
        for train in (True, False):
            rnn = IMPLS[impl][mode](100, 100, 2, bias=False, dropout=p)
            rnn.train(train)
            input, hx = torch.rand(1, 1, 100), torch.rand(2, 1, 100)
            if mode == 'LSTM': hx = (hx, hx)
            output1, hy1 = rnn(input, hx)
            output2, hy2 = rnn(input, hx)
            buf = io.BytesIO(); torch.save(rnn, buf); buf.seek(0)
            rnn2 = torch.load(buf, weights_only=False)  # weights_only=False as this is legacy code that saves the model
            rnn2.flatten_parameters()
            output3, hy3 = rnn2(input, hx)
            if p == 0 or not train:
                assert_close(output1, output2); assert_close(output1, output3); assert_close(hy1, hy2); assert_close(hy1, hy3)
            else:
                assert not torch.allclose(output1, output2); assert not torch.allclose(output1, output3)

@impls
def test_RNN_cudnn_weight_norm(impl):
    "test_nn.py: test_RNN_cudnn_weight_norm (cuDNN-only upstream; here without the move to CUDA)"
    input_size, hidden_size, num_layers, seq_length, batch = 10, 6, 2, 7, 6
    def check_weight_norm(m, name):
        input = torch.randn(seq_length, batch, input_size)
        expected_output = m(input)
        with warnings.catch_warnings():
            warnings.simplefilter('ignore', FutureWarning)  # torch.nn.utils.weight_norm is deprecated for parametrizations
            m = torch.nn.utils.weight_norm(m, name=name)
        assert_close(m(input), expected_output)
        m = torch.nn.utils.remove_weight_norm(m, name=name)
        assert_close(m(input), expected_output)
    check_weight_norm(IMPLS[impl]['LSTM'](input_size, hidden_size, num_layers), 'weight_hh_l0')
    check_weight_norm(IMPLS[impl]['LSTM'](input_size, hidden_size, num_layers, proj_size=3), 'weight_hr_l0')

@impls
def test_partial_flat_weights(impl):
    "test_nn.py: test_partial_flat_weights (CUDA-only upstream; here without the move to CUDA)"
    m = IMPLS[impl]['LSTM'](10, 6, 2)
    inp = torch.randn(3, 2, 10)
    out_expected = m(inp)
    weight_orig = m.weight_hh_l0
    del m.weight_hh_l0
    assert not hasattr(m, "weight_hh_l0")
    m.to('cpu')
    m.weight_hh_l0 = weight_orig
    assert_close(m(inp)[0], out_expected[0])

@impls
def test_RNN_cell(impl):
    "test_nn.py: test_RNN_cell (GRUCell; RNNCell left out)"
    for bias in (True, False):
        input, hx = torch.randn(3, 10), torch.randn(3, 20)
        cell = IMPLS[impl]['GRUCell'](10, 20, bias=bias)
        for _ in range(6): hx = cell(input, hx)
        hx.sum().backward()

@impls
def test_LSTM_cell(impl):
    "test_nn.py: test_LSTM_cell"
    for bias in (True, False):
        input, hx, cx = torch.randn(3, 10), torch.randn(3, 20), torch.randn(3, 20)
        lstm = IMPLS[impl]['LSTMCell'](10, 20, bias=bias)
        for _ in range(6): hx, cx = lstm(input, (hx, cx))
        (hx + cx).sum().backward()

@impls
def test_LSTM_cell_forward_input_size(impl):
    "test_nn.py: test_LSTM_cell_forward_input_size"
    input, hx, cx = torch.randn(3, 11), torch.randn(3, 20), torch.randn(3, 20)
    lstm = IMPLS[impl]['LSTMCell'](10, 20)
    with pytest.raises(Exception): lstm(input, (hx, cx))

@impls
def test_LSTM_cell_forward_hidden_size(impl):
    "test_nn.py: test_LSTM_cell_forward_hidden_size"
    input, hx, cx = torch.randn(3, 10), torch.randn(3, 21), torch.randn(3, 20)
    lstm = IMPLS[impl]['LSTMCell'](10, 20)
    with pytest.raises(Exception): lstm(input, (hx, cx))
    with pytest.raises(Exception): lstm(input, (cx, hx))

@impls
def test_RNN_cell_no_broadcasting(impl):
    "test_nn.py: test_RNN_cell_no_broadcasting (GRUCell and LSTMCell; RNNCell left out)"
    def test(cell_module, input, hx, input_size, hidden_size):
        cell = IMPLS[impl][cell_module](input_size, hidden_size)
        with pytest.raises(RuntimeError): cell(input, hx)
    def test_all(hidden_size, bad_hx, good_hx, input_size, input):
        test('GRUCell', input, bad_hx, input_size, hidden_size)
        test('LSTMCell', input, (bad_hx, good_hx), input_size, hidden_size)
        test('LSTMCell', input, (good_hx, bad_hx), input_size, hidden_size)
    hidden_size, input_size = 20, 10
    input, bad_hx, good_hx = torch.randn(3, input_size), torch.randn(1, hidden_size), torch.randn(3, hidden_size)
    test_all(hidden_size, bad_hx, good_hx, input_size, input)                  # hidden/input batch size broadcasting
    test_all(hidden_size, torch.randn(3, 1), good_hx, input_size, input)       # hx's hidden_size vs module's hidden_size
    test_all(hidden_size, good_hx, good_hx, input_size, torch.randn(3, 1))     # input's input_size vs module's input_size

# ---- ours against PyTorch's, with the weights copied ----
def _forward_backward(rnn, input_val, grad_output, weights_val, hx_val, grad_hy, cx_val=None, grad_cy=None):
    "test_nn.py: _test_RNN_cpu_vs_cudnn's forward_backward, without the move to CUDA"
    is_lstm = rnn.mode == 'LSTM'
    for x_layer, y_layer in zip(rnn.all_weights, weights_val):
        for x, y in zip(x_layer, y_layer): x.data.copy_(y.data)
    if isinstance(input_val, rnn_utils.PackedSequence):
        input = rnn_utils.PackedSequence(input_val.data.data.requires_grad_(True), input_val.batch_sizes)
        input_var = input.data
    else:
        input = input_val.clone().requires_grad_(True)
        input_var = input
    if is_lstm:
        if cx_val is None: hx = (hx_val.clone().requires_grad_(True), hx_val.add(1).requires_grad_(True))
        else: hx = (hx_val.clone().requires_grad_(True), cx_val.add(1).requires_grad_(True))
    else: hx = hx_val.clone().requires_grad_(True)
    output, hy = rnn(input, hx)
    if isinstance(output, rnn_utils.PackedSequence): output = output.data
    if is_lstm:
        if grad_cy is None: torch.autograd.backward([output, hy[0], hy[1]], [grad_output, grad_hy, grad_hy + 1])
        else: torch.autograd.backward([output, hy[0], hy[1]], [grad_output, grad_hy, grad_cy + 1])
    else: torch.autograd.backward([output, hy], [grad_output, grad_hy])
    return {'output': output.data, 'hy': hy[0].data if is_lstm else hy.data, 'weights': rnn.all_weights,
            'grad_input': input_var.grad.data, 'grad_hx': hx[0].grad.data if is_lstm else hx.grad.data,
            'cy': hy[1].data if is_lstm else None, 'grad_cx': hx[1].grad.data if is_lstm else None}

def _compare(outputs_torch, outputs_ours):
    assert list(outputs_torch.keys()) == list(outputs_ours.keys())
    for key in outputs_torch.keys():
        if key != 'weights': assert_close(outputs_torch[key], outputs_ours[key], atol=5e-5, rtol=0, msg=key)
    for t_layer_weight, o_layer_weight in zip(outputs_torch['weights'], outputs_ours['weights']):
        for t_weight, o_weight in zip(t_layer_weight, o_layer_weight): assert_close(t_weight.grad.data, o_weight.grad.data, atol=5e-5, rtol=0)

def _make_noncontig(tensor):
    ndim = tensor.dim()
    return torch.stack([tensor.clone().zero_(), tensor], ndim).select(ndim, 1)

@pytest.mark.parametrize('mode,proj', [('LSTM', False), ('GRU', False), ('LSTM', True)])
@pytest.mark.parametrize('bias,bidirectional,batch_first,contig,variable_len,lens_as_tensor', list(product((True, False), repeat=6)))
def test_RNN_torch_vs_ours(mode, proj, bias, bidirectional, batch_first, contig, variable_len, lens_as_tensor):
    "test_nn.py: _test_RNN_cpu_vs_cudnn(dropout=0, dtype=torch.double), ours in place of cuDNN: the same loops, the same checks"
    dtype = torch.double
    input_size, hidden_size, proj_size, num_layers, seq_length, batch = 10, 6, 3, 2, 7, 6
    out_size = proj_size if proj else hidden_size
    num_directions = 2 if bidirectional else 1
    if batch_first:
        input_val = torch.randn(batch, seq_length, input_size, dtype=dtype)
        grad_output = torch.randn(batch, seq_length, out_size * num_directions, dtype=dtype)
    else:
        input_val = torch.randn(seq_length, batch, input_size, dtype=dtype)
        grad_output = torch.randn(seq_length, batch, out_size * num_directions, dtype=dtype)
    hx_val = torch.randn(num_layers * num_directions, batch, out_size, dtype=dtype)
    grad_hy = torch.randn(num_layers * num_directions, batch, out_size, dtype=dtype)
    cx_val = torch.randn(num_layers * num_directions, batch, hidden_size, dtype=dtype) if proj else None
    grad_cy = torch.randn(num_layers * num_directions, batch, hidden_size, dtype=dtype) if proj else None
    if not contig:
        grad_output, grad_hy, hx_val = _make_noncontig(grad_output), _make_noncontig(grad_hy), _make_noncontig(hx_val)
        input_var = _make_noncontig(input_val)  # (as upstream: input_val itself stays contiguous)
        if proj: grad_cy, cx_val = _make_noncontig(grad_cy), _make_noncontig(cx_val)
    if variable_len:
        lengths = [7, 5, 5, 2, 1, 1]
        if lens_as_tensor: lengths = torch.tensor(lengths, dtype=torch.long)
        input_val = rnn_utils.pack_padded_sequence(input_val, lengths, batch_first=batch_first)
        grad_output = rnn_utils.pack_padded_sequence(grad_output, lengths, batch_first=batch_first).data
    kw = dict(bias=bias, dropout=0, bidirectional=bidirectional, batch_first=batch_first) | (dict(proj_size=proj_size) if proj else {})
    rnn = IMPLS['torch'][mode](input_size, hidden_size, num_layers, **kw).to(dtype)
    outputs_torch = _forward_backward(rnn, input_val, grad_output, rnn.all_weights, hx_val, grad_hy, cx_val, grad_cy)
    ours = IMPLS['ours'][mode](input_size, hidden_size, num_layers, **kw).to(dtype)
    outputs_ours = _forward_backward(ours, input_val, grad_output, rnn.all_weights, hx_val, grad_hy, cx_val, grad_cy)
    _compare(outputs_torch, outputs_ours)

def _all_samples():
    "Every forward sample of the four classes, and the packed-sequence samples of `module_inputs_torch_nn_RNN_GRU`"
    res = [pytest.param(n, i, False, id=f'{n}-{i}') for n in SAMPLES for i in range(len(samples(n)))]
    packed = module_inputs_torch_nn_RNN_GRU(None, 'cpu', torch.float32, False, True, with_packed_sequence=True)
    return res + [pytest.param('GRU', i, True, id=f'GRU-packed-{i}') for i in range(len(packed)) if i % 4 >= 2]

@pytest.mark.parametrize('dtype', [torch.float32, torch.float64], ids=['float32', 'float64'])
@pytest.mark.parametrize('name,i,packed', _all_samples())
def test_same_as_torch(name, i, packed, dtype):
    "Ours and PyTorch's on each sample: the same state_dict (names, order, and values for the same seed), repr and weight lists; the same outputs and every gradient with the weights copied"
    mi = (module_inputs_torch_nn_RNN_GRU(None, 'cpu', dtype, False, True, with_packed_sequence=True) if packed else samples(name, dtype))[i]
    args, kwargs = mi.constructor_input.args, mi.constructor_input.kwargs | dict(dtype=dtype)
    torch.manual_seed(0); ref = IMPLS['torch'][name](*args, **kwargs)
    torch.manual_seed(0); ours = IMPLS['ours'][name](*args, **kwargs)
    assert list(ours.state_dict()) == list(ref.state_dict())
    for k,v in ref.state_dict().items(): assert torch.equal(ours.state_dict()[k], v), k
    assert repr(ours) == repr(ref)
    if not name.endswith('Cell'):
        assert ours._flat_weights_names == ref._flat_weights_names and ours.mode == ref.mode
        assert [[p.shape for p in l] for l in ours.all_weights] == [[p.shape for p in l] for l in ref.all_weights]
        assert all(torch.equal(a, b) for a,b in zip(ours._flat_weights, ref._flat_weights))
        for a in ('input_size', 'hidden_size', 'num_layers', 'bias', 'batch_first', 'dropout', 'bidirectional', 'proj_size'):
            assert getattr(ours, a) == getattr(ref, a), a
    ref.load_state_dict(IMPLS['ours'][name](*args, **kwargs).state_dict())  # both ways
    d = rnn_diffs(ours, ref, *mi.forward_input.args)
    assert max(d.values()) < (1e-4 if dtype == torch.float32 else 1e-10), d  # float32: the samples' inputs reach ±9, gradients sum many terms

# ---- what issue 22 found, each against PyTorch's ----
@pytest.mark.parametrize('name', ['LSTM', 'GRU'])
def test_dropout_one_layer_warns(name):
    for impl in IMPLS:
        with pytest.warns(UserWarning, match='dropout'): IMPLS[impl][name](3, 4, 1, dropout=0.5)
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        for impl in IMPLS: IMPLS[impl][name](3, 4, 2, dropout=0.5); IMPLS[impl][name](3, 4, 1)

def test_gru_cell_zero_hidden():
    for impl in IMPLS:
        assert IMPLS[impl]['GRUCell'](10, 0)(torch.randn(2, 10)).shape == (2, 0)

@pytest.mark.parametrize('name', ['LSTM', 'GRU'])
def test_bias_false_all_weights(name):
    for impl in IMPLS:
        m = IMPLS[impl][name](3, 4, 2, bias=False, bidirectional=True)
        assert [len(l) for l in m.all_weights] == [2]*4 and all(isinstance(p, nn.Parameter) for l in m.all_weights for p in l)

@pytest.mark.parametrize('name', ['LSTM', 'GRU'])
def test_batch_first_false_string(name):
    "`batch_first='False'` is a TypeError, not a batch-first layer"
    for impl in IMPLS:
        with pytest.raises(TypeError): IMPLS[impl][name](3, 4, batch_first='False')

@pytest.mark.parametrize('name', ['LSTM', 'GRU'])
def test_wrong_dtype(name):
    "float64 data into a float32 layer: PyTorch's ValueError (the layer and its cell)"
    for impl in IMPLS:
        with pytest.raises(ValueError): IMPLS[impl][name](3, 4)(torch.randn(5, 2, 3, dtype=torch.float64))
        with pytest.raises(RuntimeError): IMPLS[impl][name+'Cell'](3, 4)(torch.randn(2, 3, dtype=torch.float64))

def test_old_pickle_loads():
    "A layer pickled before `bidirectional`, `proj_size` and `_all_weights` existed loads, and computes what it computed (`__setstate__`)"
    m = LSTM(3, 4, 2)
    x = torch.randn(5, 2, 3)
    for k in ('bidirectional', 'proj_size', '_all_weights'): del m.__dict__[k]
    buf = io.BytesIO(); torch.save(m, buf); buf.seek(0)
    m2 = torch.load(buf, weights_only=False)
    assert (m2.bidirectional, m2.proj_size) == (False, 0)
    assert m2._flat_weights_names == nn.LSTM(3, 4, 2)._flat_weights_names
    m.__setstate__(dict(m.__dict__))
    assert_close(m2(x), m(x))

@pytest.mark.parametrize('name', ['LSTM', 'GRU'])
def test_prune_and_parametrized_weight_norm(name):
    "torch.nn.utils.prune and parametrizations.weight_norm act on ours as on PyTorch's"
    torch.manual_seed(0)
    ref = IMPLS['torch'][name](3, 4, 2, bidirectional=True); ours = IMPLS['ours'][name](3, 4, 2, bidirectional=True)
    ours.load_state_dict(ref.state_dict())
    x = torch.randn(5, 2, 3)
    for m in (ref, ours):
        nn.utils.prune.l1_unstructured(m, 'weight_hh_l0_reverse', amount=0.5)
        nn.utils.parametrizations.weight_norm(m, name='weight_ih_l1')
    assert_close(ours(x), ref(x))
    assert torch.equal(ours.weight_hh_l0_reverse_mask, ref.weight_hh_l0_reverse_mask)

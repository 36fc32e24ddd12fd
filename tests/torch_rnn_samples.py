"""PyTorch's ModuleInfo samples for `nn.LSTM`, `nn.GRU`, `nn.LSTMCell` and `nn.GRUCell`, ported for tests/test_torch_rnn.py.

Ported from torch/testing/_internal/common_modules.py of the torch 2.14.1 release (the file as shipped in its wheel;
upstream pytorch/pytorch at tag v2.14.1), without importing `torch.testing._internal` at run time: the sample
functions `module_inputs_torch_nn_RNN_GRU`, `module_inputs_torch_nn_LSTM`, `module_inputs_torch_nn_RNN_GRU_Cell`,
`module_inputs_torch_nn_LSTMCell`, the error samples `module_error_inputs_torch_nn_RNN_GRU`,
`module_error_inputs_torch_nn_RNN_GRU_Cell`, `module_error_inputs_torch_nn_LSTMCell`, their reference functions
`no_batch_dim_reference_rnn_gru`, `no_batch_dim_reference_lstm`, `no_batch_dim_reference_lstmcell`,
`no_batch_dim_reference_fn`, and `make_packed_sequence`. `FunctionInput`, `ModuleInput`, `ErrorModuleInput`,
`ModuleErrorEnum` and `freeze_rng_state` are minimal stand-ins for PyTorch's test classes of those names. The RNN-only
parts (`is_rnn`, `nonlinearity='relu'`) are left out: these are the samples of the four classes rnnbook reimplements.

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
import contextlib, enum
from copy import deepcopy
from dataclasses import dataclass, field
from functools import partial
from itertools import product
import torch
from torch.nn.utils.rnn import pack_padded_sequence
from torch.testing import make_tensor

# ---- minimal stand-ins for torch.testing._internal.common_modules / common_utils ----
class FunctionInput:
    "The arguments of a call: `args` and `kwargs`"
    def __init__(self, *args, **kwargs): self.args,self.kwargs = args,kwargs
    def __repr__(self): return f"FunctionInput{self.args}{self.kwargs or ''}"

class ModuleInput:
    "A sample: the constructor's arguments, the forward's, and a reference called as `reference_fn(m, *args, **kwargs)`"
    def __init__(self, constructor_input, forward_input=None, desc='', reference_fn=None):
        self.constructor_input,self.forward_input,self.desc,self.reference_fn = constructor_input,forward_input,desc,reference_fn
        if reference_fn is not None:
            def copy_reference_fn(m, *args, **kwargs):
                # Copy inputs to avoid undesired side effects from calling the reference.
                args, kwargs = deepcopy(args), deepcopy(kwargs)
                # Note that module parameters are passed in for convenience.
                return reference_fn(m, list(m.parameters()), *args, **kwargs)
            self.reference_fn = copy_reference_fn
    def __repr__(self): return f"ModuleInput({self.constructor_input}, {self.forward_input})"

class ModuleErrorEnum(enum.Enum):
    CONSTRUCTION_ERROR = 0
    FORWARD_ERROR = 1

@dataclass
class ErrorModuleInput:
    module_error_input: ModuleInput
    error_on: ModuleErrorEnum = ModuleErrorEnum.CONSTRUCTION_ERROR
    error_type: type = RuntimeError
    error_regex: str = ''

@contextlib.contextmanager
def freeze_rng_state():
    "Run the block and restore torch's CPU random state afterwards"
    state = torch.get_rng_state()
    try: yield
    finally: torch.set_rng_state(state)

# ---- reference functions (common_modules.py) ----
def no_batch_dim_reference_fn(m, p, *args, **kwargs):
    batch_dim = 0 if kwargs.pop('batch_first', True) else 1
    single_batch_input_args = [input.unsqueeze(batch_dim) for input in args]
    with freeze_rng_state():
        return m(*single_batch_input_args, **kwargs).squeeze(batch_dim)

def no_batch_dim_reference_rnn_gru(m, p, *args, **kwargs):
    if len(args) == 1: inp, = args; h = None
    elif len(args) == 2: inp, h = args; h = h.unsqueeze(1)
    batch_dim = 0 if kwargs['batch_first'] else 1
    kwargs.pop('batch_first')
    inp = inp.unsqueeze(batch_dim)
    single_batch_input_args = (inp, h)
    with freeze_rng_state():
        output = m(*single_batch_input_args, **kwargs)
        return (output[0].squeeze(batch_dim), output[1].squeeze(1))

def no_batch_dim_reference_lstm(m, p, *args, **kwargs):
    if len(args) == 1: inp, = args; h = None
    elif len(args) == 2: inp, h = args; h = (h[0].unsqueeze(1), h[1].unsqueeze(1))
    batch_dim = 0 if kwargs['batch_first'] else 1
    kwargs.pop('batch_first')
    inp = inp.unsqueeze(batch_dim)
    single_batch_input_args = (inp, h)
    with freeze_rng_state():
        output = m(*single_batch_input_args, **kwargs)
        return (output[0].squeeze(batch_dim), (output[1][0].squeeze(1), output[1][1].squeeze(1)))

def no_batch_dim_reference_lstmcell(m, p, *args, **kwargs):
    inp, (h, c) = args
    single_batch_input_args = (inp.unsqueeze(0), (h.unsqueeze(0), c.unsqueeze(0)))
    with freeze_rng_state():
        output = m(*single_batch_input_args, **kwargs)
        return (output[0].squeeze(0), output[1].squeeze(0))

def make_packed_sequence(inp, batch_sizes):
    required_grad = inp.requires_grad
    inp.requires_grad_(False)  # user won't have access to inp so won't be able to get its grads
    seq = pack_padded_sequence(inp, batch_sizes)
    seq.data.requires_grad_(required_grad)
    return seq

# ---- samples (common_modules.py) ----
def module_inputs_torch_nn_RNN_GRU_Cell(module_info, device, dtype, requires_grad, training, **kwargs):
    make_input = partial(make_tensor, device=device, dtype=dtype, requires_grad=requires_grad)
    return [
        ModuleInput(constructor_input=FunctionInput(5, 10),
                    forward_input=FunctionInput(make_input(5), make_input(10)),
                    reference_fn=no_batch_dim_reference_fn),
        ModuleInput(constructor_input=FunctionInput(5, 10, bias=True),
                    forward_input=FunctionInput(make_input(5), make_input(10)),
                    reference_fn=no_batch_dim_reference_fn)]

def module_inputs_torch_nn_LSTMCell(module_info, device, dtype, requires_grad, training, **kwargs):
    make_input = partial(make_tensor, device=device, dtype=dtype, requires_grad=requires_grad)
    return (
        ModuleInput(constructor_input=FunctionInput(5, 10),
                    forward_input=FunctionInput(make_input(5), (make_input(10), make_input(10))),
                    reference_fn=no_batch_dim_reference_lstmcell),
        ModuleInput(constructor_input=FunctionInput(5, 10, bias=True),
                    forward_input=FunctionInput(make_input(5), (make_input(10), make_input(10))),
                    reference_fn=no_batch_dim_reference_lstmcell))

def module_inputs_torch_nn_RNN_GRU(module_info, device, dtype, requires_grad, training, with_packed_sequence=False, **kwargs):
    make_input = partial(make_tensor, device=device, dtype=dtype, requires_grad=requires_grad)
    samples = []
    for b, b_f, bidir in product((False, True), (False, True), (False, True)):
        cons_args = {'input_size': 2, 'hidden_size': 2, 'num_layers': 2,
                     'batch_first': b_f, 'bias': b, 'bidirectional': bidir}
        cons_args_hidden = {'input_size': 2, 'hidden_size': 3, 'num_layers': 2,
                            'batch_first': b_f, 'bias': b, 'bidirectional': bidir}
        samples.append(ModuleInput(constructor_input=FunctionInput(**cons_args),
                                   forward_input=FunctionInput(make_input((3, 2))),
                                   reference_fn=partial(no_batch_dim_reference_rnn_gru, batch_first=b_f)))
        samples.append(ModuleInput(constructor_input=FunctionInput(**cons_args_hidden),
                                   forward_input=FunctionInput(make_input((3, 2)), make_input((4 if bidir else 2, 3))),
                                   reference_fn=partial(no_batch_dim_reference_rnn_gru, batch_first=b_f)))
        if with_packed_sequence:
            samples.append(ModuleInput(constructor_input=FunctionInput(**cons_args),
                                       forward_input=FunctionInput(make_packed_sequence(make_input((5, 2, 2)), torch.tensor([5, 3]))),
                                       reference_fn=partial(no_batch_dim_reference_rnn_gru, batch_first=b_f)))
            samples.append(ModuleInput(constructor_input=FunctionInput(**cons_args),
                                       forward_input=FunctionInput(make_packed_sequence(make_input((5, 5, 2)), torch.tensor([5, 3, 3, 2, 2]))),
                                       reference_fn=partial(no_batch_dim_reference_rnn_gru, batch_first=b_f)))
    return samples

def module_inputs_torch_nn_LSTM(module_info, device, dtype, requires_grad, training, **kwargs):
    make_input = partial(make_tensor, device=device, dtype=dtype, requires_grad=requires_grad)
    samples = []
    for b, b_f, bidir, proj_size in product((False, True), (False, True), (False, True), (0, 2)):
        hidden_size = 3
        cons_args = {'input_size': 2, 'hidden_size': hidden_size, 'num_layers': 2, 'proj_size': proj_size,
                     'batch_first': b_f, 'bias': b, 'bidirectional': bidir}
        cons_args_hidden = dict(cons_args)
        samples.append(ModuleInput(constructor_input=FunctionInput(**cons_args),
                                   forward_input=FunctionInput(make_input((2, 2))),
                                   reference_fn=partial(no_batch_dim_reference_lstm, batch_first=b_f)))
        h_out = proj_size if proj_size > 0 else hidden_size
        hx = (make_input((4 if bidir else 2, h_out)), make_input((4 if bidir else 2, hidden_size)))
        samples.append(ModuleInput(constructor_input=FunctionInput(**cons_args_hidden),
                                   forward_input=FunctionInput(make_input((3, 2)), hx),
                                   reference_fn=partial(no_batch_dim_reference_lstm, batch_first=b_f)))
    return samples

# ---- error samples (common_modules.py) ----
def module_error_inputs_torch_nn_RNN_GRU_Cell(module_info, device, dtype, requires_grad, training, **kwargs):
    make_input = partial(make_tensor, device=device, dtype=dtype, requires_grad=requires_grad)
    F_ = ModuleErrorEnum.FORWARD_ERROR
    return [  # the samples with 'relu'/'tanh' (RNNCell's nonlinearity) are left out
        ErrorModuleInput(ModuleInput(FunctionInput(10, 20), FunctionInput(make_input(3, 11), make_input(3, 20))),
                         F_, RuntimeError, "input has inconsistent input_size: got 11 expected 10"),
        ErrorModuleInput(ModuleInput(FunctionInput(10, 20), FunctionInput(make_input(3, 10), make_input(3, 21))),
                         F_, RuntimeError, "hidden0 has inconsistent hidden_size: got 21, expected 20"),
        ErrorModuleInput(ModuleInput(FunctionInput(10, 20), FunctionInput(make_input(3, 10), make_input(5, 20))),
                         F_, RuntimeError, "Input batch size 3 doesn't match hidden0 batch size 5"),
        ErrorModuleInput(ModuleInput(FunctionInput(10, 20), FunctionInput(make_input(3, 10), make_input(3, 1, 1, 20))),
                         F_, ValueError, "Expected hidden to be 1D or 2D, got 4D instead")]

def module_error_inputs_torch_nn_LSTMCell(module_info, device, dtype, requires_grad, training, **kwargs):
    make_input = partial(make_tensor, device=device, dtype=dtype, requires_grad=requires_grad)
    F_ = ModuleErrorEnum.FORWARD_ERROR
    return [
        ErrorModuleInput(ModuleInput(FunctionInput(10, 20), FunctionInput(make_input(3, 11), (make_input(3, 20), make_input(3, 20)))),
                         F_, RuntimeError, "input has inconsistent input_size: got 11 expected 10"),
        ErrorModuleInput(ModuleInput(FunctionInput(10, 20), FunctionInput(make_input(3, 10), (make_input(3, 21), make_input(3, 21)))),
                         F_, RuntimeError, "hidden0 has inconsistent hidden_size: got 21, expected 20"),
        ErrorModuleInput(ModuleInput(FunctionInput(10, 20), FunctionInput(make_input(3, 10), (make_input(5, 20), make_input(5, 20)))),
                         F_, RuntimeError, "Input batch size 3 doesn't match hidden0 batch size 5"),
        ErrorModuleInput(ModuleInput(FunctionInput(10, 20), FunctionInput(make_input(3, 10), (make_input(3, 1, 1, 20), make_input(3, 1, 1, 20)))),
                         F_, ValueError, "Expected hx\\[0\\] to be 1D or 2D, got 4D instead")]

def module_error_inputs_torch_nn_RNN_GRU(module_info, device, dtype, requires_grad, training, **kwargs):
    mismatched_dtype = torch.float64 if dtype == torch.float32 else torch.float32  # (MPS's float16 case left out)
    make_input = partial(make_tensor, device=device, dtype=mismatched_dtype, requires_grad=requires_grad)
    C_ = ModuleErrorEnum.CONSTRUCTION_ERROR
    return [
        ErrorModuleInput(ModuleInput(FunctionInput(10, 0, 1)), C_, ValueError, "hidden_size must be greater than zero"),
        ErrorModuleInput(ModuleInput(FunctionInput(10, 10, 0)), C_, ValueError, "num_layers must be greater than zero"),
        ErrorModuleInput(ModuleInput(FunctionInput(3, 5, dtype=dtype, device=device), FunctionInput(make_input((2, 4, 3)))),
                         ModuleErrorEnum.FORWARD_ERROR, ValueError,
                         r"RNN input dtype .* does not match weight dtype .* Convert input: input\.to\(.*\), or convert model: model\.to\(.*\)"),
        ErrorModuleInput(ModuleInput(FunctionInput(3, 5, bias=0)), C_, TypeError, "bias should be of type bool, got: int"),
        ErrorModuleInput(ModuleInput(FunctionInput(3, 5, bias=1)), C_, TypeError, "bias should be of type bool, got: int"),
        ErrorModuleInput(ModuleInput(FunctionInput(3, 5, bias="True")), C_, TypeError, "bias should be of type bool, got: str"),
        ErrorModuleInput(ModuleInput(FunctionInput(3, 5, batch_first=0)), C_, TypeError, "batch_first should be of type bool, got: int"),
        ErrorModuleInput(ModuleInput(FunctionInput(3, 5, batch_first=1)), C_, TypeError, "batch_first should be of type bool, got: int"),
        ErrorModuleInput(ModuleInput(FunctionInput(3, 5, batch_first="False")), C_, TypeError, "batch_first should be of type bool, got: str"),
        ErrorModuleInput(ModuleInput(FunctionInput(3.0, 5)), C_, TypeError, "input_size should be of type int, got: float"),
        ErrorModuleInput(ModuleInput(FunctionInput("10", 5)), C_, TypeError, "input_size should be of type int, got: str"),
        ErrorModuleInput(ModuleInput(FunctionInput(0, 5)), C_, ValueError, "input_size must be greater than zero"),
        ErrorModuleInput(ModuleInput(FunctionInput(-1, 5)), C_, ValueError, "input_size must be greater than zero"),
        ErrorModuleInput(ModuleInput(FunctionInput(3, 5.0)), C_, TypeError, "hidden_size should be of type int, got: float")]

# ---- the ModuleInfo entries of the four classes (module_db), by name ----
SAMPLES = dict(LSTM=module_inputs_torch_nn_LSTM, GRU=module_inputs_torch_nn_RNN_GRU,
               LSTMCell=module_inputs_torch_nn_LSTMCell, GRUCell=module_inputs_torch_nn_RNN_GRU_Cell)
ERROR_SAMPLES = dict(LSTM=module_error_inputs_torch_nn_RNN_GRU, GRU=module_error_inputs_torch_nn_RNN_GRU,
                     LSTMCell=module_error_inputs_torch_nn_LSTMCell, GRUCell=module_error_inputs_torch_nn_RNN_GRU_Cell)
TRAIN_AND_EVAL_DIFFER = dict(LSTM=True, GRU=True, LSTMCell=False, GRUCell=False)

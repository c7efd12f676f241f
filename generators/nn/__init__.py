"""A small NumPy neural-network library, written to be read beside the lessons.

Notation follows the lessons: weights W, biases b, weighted input z, activation a,
error delta = dC/dz, learning rate eta, penalty strength lam. Code is vectorised over
a row-major batch, ``x: (N, n_in)``, with ``W: (n_out, n_in)`` as in the maths
(W_ji joins input i to unit j), so the lessons' z = W a + b reads z = a @ W.T + b.
Everything is float64; every random draw takes an explicit numpy.random.Generator.

Public API (``from generators.nn import ...``)::

    Sequential(layers, rng=None)       .forward .backward .predict .params() .grads
                                       .weights() .summary(input_shape) .n_params()
    Dense(n_in, n_out, init="scaled", bias=0.0, rng=None)
    Conv2D(c_in, c_out, kernel_size, stride=1, padding=0, init="he", bias=0.0, rng=None)
    MaxPool2D(size=2, stride=None)     MeanPool2D(size=2, stride=None)     Flatten()
    Sigmoid()  Tanh()  ReLU()  Identity()  Softmax()
    QuadraticCost()  CrossEntropy()  BinaryCrossEntropy()      costs: C(a, y), batch mean
    L2(lam)  L1(lam)                                            penalties on weights only
    GradientDescent(eta) (= SGD)  Momentum(eta, mu)  Nesterov(eta, mu)
    RMSProp(eta, rho, eps)  Adam(eta, beta1, beta2, eps)        update(param, grad, state)
    train(model, X, Y, cost=, optimizer=, epochs=, batch_size=None, rng=None,
          penalty=None, callbacks=(), on_divergence="raise") -> History
    History  TrainState  TrainingDiverged  Callback
    EpochMetrics  GradientNorms  ParameterSnapshots  Record    recorders for figures
    accuracy(model, X, Y)  evaluate(model, X, Y, cost)  gradient_norms(model)
    trace_step(model, x, y, cost, optimizer, penalty=None) -> Graph (Node, Edge; .to_dict())
    numerical_gradient(f, x)  relative_error(a, b)             gradient checking
    data.playground(name, rng=, noise=)  data.digits(images=False)  data.photo()

A sigmoid neuron trained by full-batch gradient descent on the quadratic cost::

    rng = np.random.default_rng(0)
    X, Y, X_test, Y_test = data.playground("gauss", rng=rng)
    model = Sequential([Dense(2, 1, init="normal", rng=rng), Sigmoid()])
    history = train(model, X, Y, cost=QuadraticCost(), optimizer=GradientDescent(eta=1.0),
                    epochs=100, callbacks=[metrics := EpochMetrics(X, Y, QuadraticCost())])

Modules: layers (contract, Dense, Flatten), conv (Conv2D), pool, activations,
losses (costs, penalties), init, optim, model (Sequential), train, callbacks, graph and
trace (dataflow graphs),
gradcheck, data (playground, digits, photo). Each says what it leaves out; the
library as a whole leaves out GPUs, autograd, float32 tuning and model files.
Importing it imports NumPy only; scikit-learn and matplotlib load on a data-cache miss.
"""
from . import data
from .activations import Identity, ReLU, Sigmoid, Softmax, Tanh
from .callbacks import (EpochMetrics, GradientNorms, ParameterSnapshots, Record, accuracy,
                        evaluate, gradient_norms)
from .conv import Conv2D
from .gradcheck import numerical_gradient, relative_error
from .layers import Dense, Flatten, Layer
from .losses import L1, L2, BinaryCrossEntropy, Cost, CrossEntropy, QuadraticCost
from .model import Sequential
from .pool import MaxPool2D, MeanPool2D
from .optim import SGD, Adam, GradientDescent, Momentum, Nesterov, RMSProp
from .graph import Edge, Graph, Node
from .trace import trace_step
from .train import Callback, History, TrainingDiverged, TrainState, train

__all__ = [
    "Sequential", "Layer", "Dense", "Flatten", "Conv2D", "MaxPool2D", "MeanPool2D",
    "Sigmoid", "Tanh", "ReLU", "Identity", "Softmax",
    "Cost", "QuadraticCost", "CrossEntropy", "BinaryCrossEntropy", "L2", "L1",
    "GradientDescent", "SGD", "Momentum", "Nesterov", "RMSProp", "Adam",
    "train", "History", "TrainState", "TrainingDiverged", "Callback",
    "EpochMetrics", "GradientNorms", "ParameterSnapshots", "Record",
    "accuracy", "evaluate", "gradient_norms",
    "trace_step", "Graph", "Node", "Edge", "numerical_gradient", "relative_error", "data",
]

"""weight_init: the support package of a notebook series on neural-network weight initialization.

Modules, each one idea, in layers. A module imports only modules listed above it: the arrow
``(← a, b)`` names every module of the package it imports (the argument checks of the private
``_checks`` aside, which every layer uses); a test keeps this map true.

Foundations, importing no other module:

- ``randomness``: seeds to generators, never the global NumPy state.
- ``precision``: what float64 resolves; round-off printed as the claim that holds on every
  machine.
- ``plots``: every reusable figure, in one classroom style (it draws, it computes nothing).
- ``activations``: ``ACTIVATIONS``, each activation with its derivative, its gain and, when
  piecewise linear, its slopes.

Catalogues and data:

- ``initializers`` (← randomness): the Keras-equivalent initializer catalogue
  (``CATALOGUE``, ``compute_fans``, ``VarianceScaling`` and its presets, ``Orthogonal``,
  ``get``), bit-exact with Keras 3.
- ``datasets`` (← randomness): 2-D and clustered toy data sets made in NumPy.
- ``init_fns`` (← initializers, randomness): the ``init_fn(fan_in, fan_out, rng=...)``
  protocol every model draws its weights through (``draw_weights``, ``from_global_state``),
  the sources' scratch rules, ``catalogue_init`` and ``INIT_FNS``, the one name → init_fn table.
- ``frameworks`` (← activations, initializers): the default dense-layer initializers of Keras,
  PyTorch and Flax, side by side.

Theory:

- ``theory`` (← activations): predictions drawn over measurements; the mean-field maps.
- ``self_normalizing`` (← activations): SELU's moment map and its fixed point (0, 1).
- ``recurrent`` (← activations): how a recurrent net's state Jacobian grows or shrinks over time.

Models and experiments:

- ``experiment`` (← activations, init_fns, randomness): the deep-net experiment
  (``forward_prop``, ``propagate``); the sources' scratch initializers import from here too.
- ``training`` (← activations, experiment, init_fns, randomness): a small NumPy multilayer
  perceptron, its gradient-descent training and the ``gradient_step`` every loop shares.
- ``isometry`` (← activations, experiment, theory): singular values of matrix products and of a
  net's Jacobian (dynamical isometry).
- ``residual`` (← activations, experiment, init_fns, randomness, training): a residual MLP
  without normalization, and Fixup's initialization.
- ``lsuv`` (← training): layer-sequential unit-variance rescaling of a ``training.MLP``.
- ``deep_linear`` (← init_fns, randomness, training): deep linear nets, their learning dynamics
  and learning time (Saxe et al.).
- ``normalization`` (← randomness, training): BatchNorm and LayerNorm, forward and backward,
  and normalized residual nets.
- ``transformer`` (← normalization, randomness): a GPT-2-shaped pre-LN decoder, nanoGPT's
  initialization and its statistics.
- ``parametrization`` (← randomness, training): standard, NTK and μP parametrizations of an MLP,
  their per-layer learning rates, and the coordinate check.
- ``diagnostics`` (← training): checks to run on any net before training, each with a one-line
  verdict.

What the learner touches:

- ``explorer_views`` (← activations, datasets, experiment, init_fns, initializers, randomness,
  theory, training): what the explorer shows, computed from its settings (no widgets).
- ``widgets`` (← explorer_views, plots): the ipywidgets explorer, wiring controls to
  ``explorer_views`` and ``plots``.
- ``exercises`` (← activations, datasets, diagnostics, experiment, explorer_views, init_fns,
  initializers, isometry, lsuv, normalization, parametrization, residual, self_normalizing,
  theory, training, transformer): self-study exercises with automatic feedback.
"""

__version__ = "0.1.0"

"""weight_init: the support package of a notebook series on neural-network weight initialization.

Modules, each one idea (arrows point down the list, never back up):

- ``initializers``: the Keras-equivalent initializer catalogue (``compute_fans``,
  ``VarianceScaling`` and its presets, ``Orthogonal``, ``get``), bit-exact with Keras 3.
- ``frameworks``: the default dense-layer initializers of Keras, PyTorch and Flax, side by side.
- ``activations``: each activation with its derivative and its gain.
- ``randomness``: seeds to generators, never the global NumPy state.
- ``precision``: what float64 resolves; round-off printed as the claim that holds everywhere.
- ``datasets``: 2-D and clustered toy data sets made in NumPy.
- ``experiment``: the deep-net experiment (``forward_prop``, ``propagate``) and the scratch
  initializers of the source material.
- ``training``: a small NumPy multilayer perceptron and its gradient-descent training.
- ``theory``: predictions drawn over measurements.
- ``self_normalizing``: SELU's moment map and its fixed point (0, 1).
- ``lsuv``: layer-sequential unit-variance rescaling of a ``training.MLP``.
- ``residual``: a residual MLP without normalization, and Fixup's initialization.
- ``normalization``: BatchNorm and LayerNorm, forward and backward, and normalized residual nets.
- ``transformer``: a GPT-2-shaped pre-LN decoder, nanoGPT's initialization and its statistics.
- ``isometry``: singular values of matrix products and of a net's Jacobian (dynamical isometry).
- ``deep_linear``: deep linear nets, their learning dynamics and learning time (Saxe et al.).
- ``parametrization``: standard, NTK and μP parametrizations of an MLP, and the coordinate check.
- ``diagnostics``: checks to run on any net before training, each with a one-line verdict.
- ``recurrent``: how a recurrent net's state Jacobian grows or shrinks over time.
- ``plots``: every reusable figure, in one classroom style.
- ``explorer_views``: what the explorer shows, computed from its settings (no widgets).
- ``widgets``: the ipywidgets explorer, wiring controls to ``explorer_views`` and ``plots``.
- ``exercises``: self-study exercises with automatic feedback.
"""

__version__ = "0.1.0"

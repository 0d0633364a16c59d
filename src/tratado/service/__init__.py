"""The live-talks service (``tratado serve``, the ``serve`` extra): the delegations and
the mediator run the real negotiation on the same engine as the simulations, with a
record anyone can verify.

Nothing in ``import tratado`` imports this package; its web parts need
``pip install 'tratado[serve]'``.
"""

"""The playground page's build-time work: the opening setting, the figures, the claims.

The page's explorer trains in the browser (``site_config/assets/js/playground.js`` with
``lib/playground-nn.js``); what a setting means lives in ``config.py``, which that script
reproduces. The generators here train settings with the library at build time, so that
the page's figures and every number its prose quotes come from the course's own code:

- ``fig_start``: the opening setting, its data and initial weights (the explorer's data),
  trained over several seeds;
- ``fig_overview``: the opening network on the four classification and two regression sets;
- ``fig_regularization``: an overfitting setting under L1 and L2 at every rate λ;
- ``fig_tries``: the settings the "things to try" link to, each checked over several seeds;
- ``fig_reference``: reference runs the browser test replays through the page's trainer.

``runs`` holds what they share (train and measure one setting, over seeds); ``links``
writes and reads a setting as the page's URL hash.
"""

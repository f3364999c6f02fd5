"""The web: the accessible player's pages, the installable app, and `audiogen serve`."""

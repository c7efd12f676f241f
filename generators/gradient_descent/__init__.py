"""Figures for the lesson "Cost functions and gradient descent" (content/lessons/gradient-descent.md)."""

"""Figures for the lesson "Backpropagation and weight decay" (content/lessons/backpropagation.md)."""

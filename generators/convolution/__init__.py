"""Figures for the lesson "Convolution and pooling" (content/lessons/convolution.md)."""

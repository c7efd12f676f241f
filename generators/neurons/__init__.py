"""Figures for the lesson "A single neuron" (content/lessons/neurons.md)."""

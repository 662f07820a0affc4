"""Prediction, metrics and evaluation charts."""

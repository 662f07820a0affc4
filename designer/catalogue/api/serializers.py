"""Serializers for the catalogue endpoints."""

from __future__ import annotations

from rest_framework import serializers


class SampleSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    nodes = serializers.IntegerField()
    edges = serializers.IntegerField()


class SampleInstantiateInput(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False,
                                 help_text="Name of the new workflow; default: the sample's title.")

#!/bin/bash -eu
# ClusterFuzzLite build: the same script OSS-Fuzz runs (targets, seed corpora, dictionaries and
# options into $OUT), from the checkout the Dockerfile copied to $SRC/mqtk.
exec bash "$SRC/mqtk/fuzz/oss-fuzz/build.sh"

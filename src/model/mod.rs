//! burn modules built from an engine `Architecture`, training and evaluation.

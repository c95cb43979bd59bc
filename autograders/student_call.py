"""Calling student code from a probe: outcomes instead of exceptions.

A probe never lets a student's exception escape. It records the outcome of
each call as plain data: the returned value (converted to observations by the
probe) or the exception's type, message and a short traceback.
"""
import traceback
import warnings

MAX_TRACEBACK_CHARS = 2000


def call(function, *args, **kwargs):
    """Run function(*args, **kwargs); return (value, error, warning_texts).

    error is None or a dict {"type", "message", "traceback"}; warning_texts
    lists the warnings raised during the call (e.g. RuntimeWarning overflow).
    Only Exception is caught: SystemExit and KeyboardInterrupt are the
    sandbox's business.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = function(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - any student error is an outcome
            return None, describe_error(exc), [str(w.message) for w in caught]
    return value, None, [f"{w.category.__name__}: {w.message}" for w in caught]


def describe_error(exc):
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return {
        "type": type(exc).__name__,
        "message": str(exc)[:500],
        "traceback": text[-MAX_TRACEBACK_CHARS:],
    }

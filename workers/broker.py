"""Celery's Redis transport with two guards for a broker connection that goes away (Redis
restarting): ``CELERY_BROKER_TRANSPORT`` points here when Redis is the broker.

kombu 5.7 then (1) pushes the closing channel's unacknowledged messages back onto the queue after
it has already detached the connection, and (2) acknowledges tasks that finish later on that
closed channel; both raise ``AttributeError`` ('NoneType' object has no attribute 'hostname' /
'client'), which Celery treats as fatal: the worker stops consuming and runs hang. Here the
restore is skipped and such an acknowledgement is a connection error, which Celery logs and
survives. Nothing is lost: a task still running finishes and records its node; a message whose
task never ran is re-sent by the reconciler (``designer.runs.execution.reconcile``); kombu
redelivers what stays unacknowledged after the visibility timeout, and the claim makes that a
no-op. A worker process that dies is still handled by ``reject_on_worker_lost``.
"""

from __future__ import annotations

from typing import Any

from kombu.transport import redis
from redis.exceptions import ConnectionError as RedisConnectionError


class Channel(redis.Channel):  # type: ignore[misc]
    do_restore = False  # (1)

    def basic_ack(self, delivery_tag: Any, multiple: bool = False) -> Any:
        self._check_open()
        return super().basic_ack(delivery_tag, multiple=multiple)

    def basic_reject(self, delivery_tag: Any, requeue: bool = False) -> Any:
        self._check_open()
        return super().basic_reject(delivery_tag, requeue=requeue)

    def _check_open(self) -> None:  # (2)
        if self.connection is None:
            raise RedisConnectionError("the broker connection this message came on is gone "
                                       "(Redis restarted?); it is not acknowledged")


class Transport(redis.Transport):  # type: ignore[misc]
    Channel = Channel

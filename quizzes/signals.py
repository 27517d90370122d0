"""What the quiz engine tells other apps (the learner side listens); it imports none."""

from django.dispatch import Signal

#: Sent once the transaction that graded an attempt has committed: on submit (a
#: time-out too), after a reviewer's manual grade and after a regrade. Keyword
#: argument `attempt`: the Attempt with its totals (`passed` is None while an
#: answer awaits manual grading). The sender is the Attempt class.
attempt_graded = Signal()

"""Several phrasings for every step of the five-step reply (P3), so drafts do not read canned.

Each phrasing was written to carry the playbook move calmdesk's own detectors look for (the
self-check verifies it on every draft), and none carries a fact: facts come only from slots
filled from the conversation, the knowledge base and the remedy catalogue.
Slots: {feeling} (worried), {situation} (worrying), {emotion} (worry), {restated}, {deadline},
{years}, {explanation}, {prevention}, {supervisor_eta}, {gesture}, {why}.
"""

from __future__ import annotations

EMPATHY = (
    "I can only imagine how {situation} this has been.",
    "That must have been so {situation}.",
    "I completely understand why you feel {feeling}.",
    "I can see how this has left you {feeling}.",
)

UNDERSTANDING = (
    "If I've understood this correctly, {restated}{deadline}.",
    "So, to make sure I've got this right: {restated}{deadline}.",
    "What I'm hearing is that {restated}{deadline}.",
)

DEADLINE = (", and you need it sorted before {deadline}", ", and {deadline} is what matters")

VALIDATION = (
    "You shouldn't have to deal with this.",
    "Anyone would be {feeling} after this.",
    "This should never have happened.",
    "You have every right to expect better.",
)

HISTORY = (
    "After {years} years with us, you deserved much better than this.",
    "You've been with us for {years} years, and this is not the service that loyalty deserves.",
)

SUPERVISOR = (
    "As you asked, I'm passing your case to my supervisor now, and they will contact you "
    "{supervisor_eta}.",
    "You asked for a manager, and that is absolutely fine: a team lead will contact you "
    "{supervisor_eta}.",
)

EXPLANATION = (
    "To give you some context, {explanation}.",
    "For some background, {explanation}.",
    "Some context on what happened: {explanation}.",
)

OPTIONS_INTRO = (
    "Here are the options I can offer, so you can pick whichever suits you best:",
    "There are a few ways I can put this right, and the choice is yours:",
    "You can choose whichever of these works best for you:",
)

OPTION = "{n}. I can {offer}, {eta}; {why}."

GESTURE = (
    "Whichever you choose, I'll also {gesture}, because {why}.",
    "On top of that, I'll also {gesture}, because {why}.",
)

NEXT_STEPS = (
    "Next steps: once you tell me your choice, I'll put it through straight away and you'll "
    "receive written confirmation.",
    "Here's what will happen next: as soon as you choose, I'll set it in motion and you'll "
    "receive a written confirmation.",
)

OWNERSHIP = (
    "I'll personally make sure it's done, and I'll keep you updated until it is.",
    "I'll personally see this through, and I'll keep you posted at every step.",
)

PREVENTION = (
    "To prevent a repeat, {prevention}.",
    "So that this doesn't happen again, {prevention}.",
)

CLOSING = (
    "I'm truly sorry we let you down, and thank you for giving us the chance to put it right.",
    "I'm so sorry for the trouble this has caused you. Thank you for bearing with us while we "
    "fix it.",
    "Please accept my sincere apologies for this. I really appreciate your patience with us.",
    "That's on us, and I'm sorry. Thank you for telling us, so we could act on it.",
)

# -- close mode: the customer is content; confirm, prevent, apologise once more, thank ----------

THANKS_BACK = (
    "Thank you so much for letting me know.",
    "Thank you for coming back to me, that's really good to hear.",
    "Thank you for telling me, I'm glad it's on track now.",
)

NO_APOLOGY_NEEDED = (
    "There's no need to apologise at all; you had every reason to be {feeling}.",
    "Please don't apologise, you had every right to be {feeling}.",
)

FOLLOW_UP = (
    "I'll keep an eye on your case until everything is fully in place, and I'll follow up to "
    "make sure it stays that way.",
    "I'll personally keep watching your case, and I'll follow up to check everything stays "
    "on track.",
)

ANSWER = ("On your question: {explanation}.", "To answer your question, {explanation}.")

CLOSE_APOLOGY = (
    "Once again, I'm sorry for the trouble this caused.",
    "I'm sorry again that it came to this.",
)

GREETING = {"email": ("Dear {name},", "Hello {name},"), "chat": ("Hi {name},", "Hello {name},")}

# -- short channels (a public post): one short sentence per step ------------------------------

SHORT = {
    "empathy": ("I can only imagine how {situation} this is.", "That must be so {situation}."),
    "understanding": (
        "If I've got this right, {restated}.",
        "What I'm hearing is that {restated}.",
    ),
    "validation": ("You shouldn't have to deal with this.", "This should never have happened."),
    "explanation": ("For context, {explanation}.", "Some context: {explanation}."),
    "ownership": ("I'll personally see it through.", "I'll personally make sure it's done."),
    "closing": (
        "I'm sorry, and thank you for bearing with us.",
        "I'm so sorry for this. Thank you for your patience with us.",
    ),
}

"""English rules: regular expressions over the folded (lower-case) text.

A straight quote in a pattern also matches a typographic one. Where a pattern
has a group named `x`, the finding covers that group; otherwise the whole
match. Each list says what a careful supervisor would point at.
"""

_NUM = (
    r"(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|"
    r"fourteen|twenty|thirty)"
)
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|"
    r"november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)"
)

# Blaming the customer, defending ourselves, or shutting the door.
NEGATIVE = [
    r"\byou (?:have |had )?(?:failed|forgot|forgotten|neglected|omitted) to\b",
    r"\byou (?:did not|didn't|didnt|never|have not|haven't) (?:send|sent|provide|"
    r"provided|read|follow|followed|attach|attached|include|included|fill|filled|"
    r"give|given|tell|told|mention|mentioned|check|checked|reply|replied|answer|"
    r"answered|respond|responded|pay|paid|submit|submitted|complete|completed|"
    r"sign|signed|update|updated|bother|listen)\b",
    r"\byou (?:should|must|ought to|could) have\b",
    r"\byou (?:need|have|ought) to understand\b",
    r"\byou (?:are|were|'re) (?:wrong|mistaken|confused|not listening|"
    r"supposed to)\b",
    r"\byou (?:misunderstood|misread|ignored|claim|claimed|insist)\b",
    r"\b(?:obviously|clearly) you\b",
    r"\byou obviously\b",
    r"\b(?:it|this|that)(?: is|'s| was) (?:not|n't) (?:our|my) (?:problem|fault|"
    r"responsibility|concern|issue|job|department)\b",
    r"\b(?:it|this|that)(?:'s| is)n't (?:our|my) (?:problem|fault|"
    r"responsibility|concern|issue|job|department)\b",
    r"\bnot (?:our|my) (?:problem|fault|responsibility|concern|job)\b",
    r"\b(?:it|this|that)(?: is|'s| was) (?:your|the customer's) (?:problem|fault|"
    r"responsibility|mistake|own fault)\b",
    r"\byour (?:own )?(?:fault|mistake|negligence|carelessness)\b",
    r"\bas i (?:have )?(?:already |previously |clearly )?(?:said|told you|"
    r"explained|mentioned|stated|wrote)\b",
    r"\bas (?:we )?(?:previously |already |clearly )?(?:stated|mentioned|"
    r"explained|said) (?:before|previously|earlier|in (?:my|our) (?:last|"
    r"previous) (?:email|message|reply))\b",
    r"\blike i (?:said|told you)\b",
    r"\b(?:i|we) (?:already|have already) (?:told|explained|said|answered)\b",
    r"\b(?:as )?per my (?:last|previous) (?:email|message|reply)\b",
    r"\bfor the (?:second|third|fourth|last|hundredth|umpteenth) time\b",
    r"\bcalm down\b",
    r"\b(?:it is |it's |that is |that's |this is )?(?P<x>impossible)\b",
    r"\bno way\b",
    r"\bread the (?:manual|instructions|terms)(?: (?:again|properly|carefully))?\b",
    r"\b(?:we are|we're|i am|i'm) not (?:responsible|liable|to blame)\b",
    r"\bthat's not how (?:it|this) works\b",
    r"\bthere is nothing wrong (?:with|on|at) our (?:side|end|system)\b",
    r"\bstop (?:calling|emailing|writing to) us\b",
    r"\byou people\b",
    r"\bwhat you don't understand\b",
]

# A refusal; flagged only when neither its sentence nor the next gives a
# reason or a way forward (REASONS).
REFUSAL = [
    r"\b(?:we|i) (?:cannot|can't|cant|can not|are unable to|am unable to|"
    r"'re unable to|are not able to|'m not able to|am not able to|will not|"
    r"won't|are not allowed to|refuse to|must decline to|have to decline)\b",
    r"\b(?:we|i) (?:do not|don't|dont) (?:offer|accept|provide|allow|give|issue|"
    r"refund|exchange|support|handle|ship|deliver|cover|make exceptions|do "
    r"refunds|do exchanges)\b",
    r"\b(?:this|that|it) (?:is|'s) (?:not possible|not allowed|not permitted|"
    r"against (?:our|company) policy)\b",
    r"\b(?:is|are|was) not (?:eligible|refundable|covered|possible)\b",
    r"\byour (?:request|claim|application|complaint|refund|appeal) (?:has been|"
    r"was|is|have been) (?:rejected|denied|declined|refused|turned down)\b",
    r"\b(?:request|claim|refund) (?:rejected|denied|declined)\b",
    r"\bno (?:refunds?|exchanges?|exceptions)\b",
    r"\bthere is nothing (?:we|i) can do\b",
    r"\bnothing (?:can|could) be done\b",
    r"\b(?:we|i) (?:must|have to) (?:decline|refuse|reject)\b",
]

# A reason or a next step, which turn a refusal into an answer.
REASONS = [
    r"\bbecause\b",
    r"\bsince\b",
    r"\bas (?:the|your|our|it|this|that|they|we)\b",
    r"\bdue to\b",
    r"\bowing to\b",
    r"\bgiven that\b",
    r"\bso that\b",
    r"\bbut\b",
    r"\bhowever\b",
    r"\balthough\b",
    r"\binstead\b",
    r"\balternatively\b",
    r"\balternative\b",
    r"\bwhat (?:we|i) can do\b",
    r"\b(?:we|i) can(?!not|'t|t| not)\b",
    r"\b(?:we|i) could\b",
    r"\byou (?:can|could|may|are welcome to)(?!not|'t| not)\b",
    r"\b(?:we|i)(?: will|'ll| would be happy| are happy| am happy| are glad)\b",
    r"\bplease\b",
    r"\bif you\b",
    r"\bonce\b",
    r"\bunless\b",
    r"\buntil\b",
    r"\boption\b",
    r"\boffer\b",
    r"\bin the meantime\b",
    r"\blet me\b",
    r"\bthe reason\b",
    r"\bso\b",
    r"\bfor (?:\w+ )?reasons?\b",
    r"\bfor your (?:security|safety|privacy|protection)\b",
    r"\b(?:under|according to|in line with) (?:our|the)\b",
    r"\bexpired\b",
    r"\bafter \d+\b",
    r"\b(?:more|longer|older) than\b",
]

# A commitment to do something for the customer.
PROMISE = [
    r"\b(?:we|i)(?: will|'ll| shall| are going to| am going to|'re going to|"
    r"'m going to) (?:\w+ly )?(?:send|fix|refund|contact|call|email|get back|"
    r"update|resolve|look into|process|deliver|ship|replace|review|investigate|"
    r"arrange|reply|respond|follow up|check|confirm|credit|reimburse|repair|"
    r"sort|handle|escalate|let you know|inform|notify|provide|issue|transfer|"
    r"return|correct|restore|reactivate|activate|cancel|schedule|visit|collect|"
    r"pick up|share|post|dispatch|reinstate|waive|compensate|be in touch)\b",
    r"\byou(?: will|'ll) (?:receive|get|hear|be contacted|be notified|"
    r"be called|be refunded|see the)\b",
    r"\b(?:it|this|they|the \w+|your \w+)(?: will| should) be (?:sent|fixed|"
    r"refunded|processed|resolved|delivered|shipped|replaced|updated|corrected|"
    r"credited|restored|repaired|reviewed|completed|ready|back|done|available|"
    r"reactivated|activated|cancelled|canceled|returned|issued|collected|"
    r"dispatched|reinstated|posted|transferred|installed)\b",
    r"\b(?:we|i) promise\b",
    r"\b(?:someone|somebody|a colleague|an agent|an engineer|a technician|"
    r"a specialist|our (?:\w+ )?(?:team|engineer|technician|specialist|agent)s?)"
    r"\b[^.!?]{0,40}? will (?:call|contact|visit|email|write to|get back to|"
    r"be in touch|come)\b",
]

# When the promise is kept: any of these in its sentence names a date.
DATES = [
    r"\b(?:today|tonight|tomorrow|yesterday)\b",
    r"\bthis (?:morning|afternoon|evening|week)\b",
    r"\b(?:next|last|this coming) (?:week|month|" + _WEEKDAY + r")\b",
    r"\bend of (?:the )?(?:day|today|week|month|business day|working day)\b",
    r"\b(?:close of business|eod|cob)\b",
    r"\b" + _WEEKDAY + r"\b",
    r"\b(?:within|in|under) (?:the next )?" + _NUM + r" (?:full )?(?:working |"
    r"business |calendar )?(?:hours?|days?|weeks?|minutes?)\b",
    r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b",
    r"\b\d{4}-\d{1,2}-\d{1,2}\b",
    r"\b\d{1,2}(?:st|nd|rd|th)? (?:of )?" + _MONTH + r"\b",
    r"\b" + _MONTH + r" \d{1,2}(?:st|nd|rd|th)?\b",
    r"\b(?:at|by|before|after|until) \d{1,2}(?:[:.]\d{2})? ?(?:am|pm|a\.m\.|"
    r"p\.m\.|o'clock)?",
    r"\b\d{1,2}:\d{2}\b",
    r"\b(?:noon|midday|midnight)\b",
    r"\bwithin (?:the|an|one) hour\b",
    r"\b(?:on )?your next (?:bill|invoice|statement|billing cycle)\b",
]

# Timing that depends on something the customer or we must do first.
CONDITIONS = [
    r"\b(?:once|when|as soon as|after|upon|if|whenever)\b",
]

VAGUE_TIME = [
    r"\bas soon as (?:possible|we can|i can|we are able|feasible|practicable|"
    r"we have (?:news|an update|more information))\b",
    r"\basap\b",
    r"(?<!\bas )\b(?:very |really )?soon\b(?! as\b)",
    r"\bshortly\b",
    r"\b(?:in|after) a (?:little |short )?while\b",
    r"\bin due course\b",
    r"\bat some (?:point|stage|time)\b",
    r"\bsometime\b",
    r"\bin the (?:near|coming|not too distant) future\b",
    r"\bat a later (?:date|time|stage)\b",
    r"\blater(?! (?:today|tonight|this|than|on the|in the day))\b",
    r"\beventually\b",
    r"\bwhen(?:ever)? (?:possible|we can|we get a chance|we have time|"
    r"time permits)\b",
    r"\b(?:in|within|over) (?:the next |the coming )?(?:a few|a couple of|"
    r"several|some) (?:days|weeks|hours|working days|business days)\b",
    r"\bin the coming days\b",
    r"\bany (?:day|time) now\b",
    r"\bas quickly as (?:possible|we can)\b",
    r"\bat the earliest opportunity\b",
    r"\bone of these days\b",
]

# Internal words: the customer never sees our queues, tiers or targets.
JARGON = [
    r"\bslas?\b",
    r"\bkpis?\b",
    r"\bcsat\b",
    r"\bfcr\b",
    r"\baht\b",
    r"\brca\b",
    r"\bl[123]\b",
    r"\b(?:tier|level)[ -]?[123](?: support| team| agent)?\b",
    r"\bback[- ]?end\b",
    r"\bback[- ]?office\b",
    r"\bbacklog\b",
    r"\bescalation matrix\b",
    r"\btat\b",
    r"\bwip\b",
    r"\bp[1-4]\b",
    r"\bticket id \d+\b",
    r"\bsev[ -]?[1-4]\b",
    r"\bjira\b",
    r"\bdev team\b",
    r"\bops team\b",
]

GREETINGS = [
    r"^\W*(?:dear|hello|hi|good (?:morning|afternoon|evening)|greetings|"
    r"to whom it may concern|attention)\b",
]

CLOSINGS = [
    r"\b(?:regards|sincerely|yours (?:sincerely|faithfully|truly)|"
    r"best wishes|thank you|thanks|with thanks|respectfully|cordially)\b",
]

# Short capitals a customer knows: not internal codes.
KNOWN_CAPITALS = {
    "I",
    "A",
    "OK",
    "ID",
    "PDF",
    "VAT",
    "IBAN",
    "SMS",
    "PIN",
    "ATM",
    "URL",
    "FAQ",
    "EU",
    "UK",
    "US",
    "USA",
    "UAE",
    "KSA",
    "GMT",
    "AM",
    "PM",
    "TV",
    "IT",
    "HR",
    "CEO",
    "VIP",
    "DHL",
    "UPS",
    "USB",
    "CD",
    "DVD",
    "GPS",
    "SIM",
    "PC",
    "NO",
    "NOT",
    "AND",
    "THE",
    "YOU",
    "ALL",
    "ANY",
    "NEW",
    "NOW",
    "YES",
    "PS",
    "CC",
    "QR",
    "AC",
    "DC",
    "LCD",
    "LED",
    "HDMI",
    "ISO",
    "SAR",
    "AED",
    "USD",
    "EUR",
    "EGP",
    "KWD",
    "QAR",
    "BHD",
    "OMR",
    "JOD",
    "GBP",
    "MR",
    "MRS",
    "MS",
    "DR",
    "POS",
    "TAX",
    "OTP",
    "CVV",
    "VISA",
    "PO",
    "NOTE",
    "FREE",
    "KM",
    "KG",
    "CM",
    "MM",
    "ASAP",
    "WIFI",
    "APP",
    "IOS",
    "BMW",
    "NB",
    "FAX",
    "IMEI",
    "SWIFT",
    "AI",
    "ML",
    "TBD",
    "NA",
    "RSVP",
    "WWW",
    "HTTP",
    "HTTPS",
    "JPG",
    "PNG",
    "XL",
    "DIY",
    "SUV",
    "ETA",
    "LTD",
    "LLC",
    "INC",
    "CO",
    "MB",
    "GB",
    "TB",
    "UTC",
    "DEAR",
    "SIR",
    "ONE",
    "TWO",
    "FOR",
    "OUR",
    "WE",
    "TO",
    "OF",
    "IN",
    "ON",
    "BY",
    "OR",
    "IS",
    "BE",
    "DO",
    "MY",
    "ME",
    "AT",
    "AS",
    "IF",
    "SO",
    "UP",
}

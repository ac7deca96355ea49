
from . import website_sale
from . import website_event
from . import main
from . import portal
from . import home
from . import accessibility
from . import privacy
from . import reconfirm
from . import recognition
from . import mission
from . import referral
from . import share
from . import outcome
from . import diaspora_map
from . import introduction
from . import lead

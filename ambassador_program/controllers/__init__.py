
from . import website_sale
from . import website_event

from . import ambassador_segment
from . import ambassador_segment_field
from . import ambassador_tier
from . import ambassador_tier_threshold
from . import ambassador_skill
from . import ambassador_point_rule
from . import ambassador_point_transaction
from . import ambassador_proof
from . import ambassador_promotion
from . import ambassador_charter
from . import ambassador_charter_acceptance
from . import ambassador_consent
from . import ambassador_incident
from . import ambassador_document
from . import res_partner
# After res_partner: its SQL view reads the ambassador columns of res_partner.
from . import ambassador_tier_report
from . import res_config_settings

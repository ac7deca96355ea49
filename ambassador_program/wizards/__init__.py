from . import ambassador_proof_reject_wizard
from . import ambassador_transaction_reverse_wizard
from . import ambassador_consent_wizard
from . import ambassador_point_award_wizard
from . import ambassador_erase_wizard
from . import ambassador_value_report_wizard

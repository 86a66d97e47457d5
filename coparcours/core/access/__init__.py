"""The access policy of Coparcours, decided here and nowhere else (docs/access.md).

Two families of questions, each asked of this package only:

* **a youth's data**, by category (:mod:`.youth_data`; the data-protection duties in
  :mod:`.duties`): ``visible_youths`` for lists,
  ``decide`` for a pure answer, ``check`` / ``check_categories`` where data is actually
  read or written (audited once);
* **features**, by capability (:mod:`.capabilities`): ``may`` answers whether a person,
  acting for one organisation in one role, may use a feature (housing queue, billing,
  committee…), from the table :data:`CAPABILITIES`; it is pure, for menus, links and
  buttons, and :mod:`.routes` declares and enforces what each route needs.

The organisation a person acts for is resolved by :mod:`.acting`, for pages and API alike;
:mod:`.scopes` says in which consortia and organisations a capability holds (acts on one
GME or one partnership); :mod:`.sides` which side of a shared pathway (porteur, mission
locale) holds an act.
"""

from coparcours.core.access.acting import (
    OrganisationRequired,
    acting_membership,
    acting_organisation,
    acting_organisation_id,
    acting_organisation_towards,
    api_acting_organisation,
    member_organisation,
)
from coparcours.core.access.capabilities import (
    CAPABILITIES,
    Capability,
    Holder,
    Standing,
    may,
    memberships_that_may,
    roles_holding,
)
from coparcours.core.access.duties import (
    DUTY_REFUSALS,
    DUTY_ROLES,
    EXPORT_RIGHTS,
    OWNER_DUTY_ROLES,
    Duty,
    check_duty,
    duty_organisations,
    holds_duty,
    youths_for_duty,
)
from coparcours.core.access.scopes import (
    consortia_where,
    may_in_consortium,
    members_who_may,
    memberships_with_standings,
    organisations_where,
    remember_memberships_with_standings,
    require_in_consortium,
)
from coparcours.core.access.sides import SharedAct, may_act, require_act
from coparcours.core.access.youth_data import (
    CASEWORK_ROLES,
    CONSENT_ONLY_CATEGORIES,
    EVERY_AUTHOR,
    ROLE_RIGHTS,
    AccessFacts,
    AccompaniedQuerySet,
    AccompaniedRecord,
    Action,
    Category,
    Grant,
    Relation,
    Share,
    ShareBasis,
    active_memberships,
    break_glass_read,
    check,
    check_categories,
    decide,
    guard,
    may_access,
    remember_active_memberships,
    visible_youth_data,
    visible_youth_owners,
    visible_youths,
    writable_categories,
)

__all__ = [
    "CAPABILITIES",
    "CASEWORK_ROLES",
    "CONSENT_ONLY_CATEGORIES",
    "DUTY_REFUSALS",
    "DUTY_ROLES",
    "EVERY_AUTHOR",
    "EXPORT_RIGHTS",
    "OWNER_DUTY_ROLES",
    "ROLE_RIGHTS",
    "AccessFacts",
    "AccompaniedQuerySet",
    "AccompaniedRecord",
    "Action",
    "Capability",
    "Category",
    "Duty",
    "Grant",
    "Holder",
    "OrganisationRequired",
    "Relation",
    "Share",
    "ShareBasis",
    "SharedAct",
    "Standing",
    "acting_membership",
    "acting_organisation",
    "acting_organisation_id",
    "acting_organisation_towards",
    "active_memberships",
    "api_acting_organisation",
    "break_glass_read",
    "check",
    "check_categories",
    "check_duty",
    "consortia_where",
    "decide",
    "duty_organisations",
    "guard",
    "holds_duty",
    "may",
    "may_access",
    "may_act",
    "may_in_consortium",
    "member_organisation",
    "members_who_may",
    "memberships_that_may",
    "memberships_with_standings",
    "organisations_where",
    "remember_active_memberships",
    "remember_memberships_with_standings",
    "require_act",
    "require_in_consortium",
    "roles_holding",
    "visible_youth_data",
    "visible_youth_owners",
    "visible_youths",
    "writable_categories",
    "youths_for_duty",
]

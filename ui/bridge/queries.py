"""Cached lib queries: pages call only these (kept per argument set and data version, ui/bridge/_cache.py)."""
from __future__ import annotations

from lib import map_origin as origin_of_map
from lib import panels
from lib.queries import care, checks, communities, facts, map_data, model_communities, relocation, stars
from ui.bridge._cache import cached

facts_q = cached(facts.facts)
notes_q = cached(facts.notes)
sources_q = cached(facts.sources)
reported_figures = cached(facts.reported)
list_communities = cached(communities.list_communities)
subdistrict_overview = cached(communities.subdistrict_overview)
community_profile = cached(communities.community_profile)
data_as_of = cached(communities.data_as_of)
star_matrix = cached(stars.star_matrix)
star_counts = cached(stars.star_counts)
star_progress = cached(stars.star_progress)
party_network = cached(stars.party_network)
red_property_projects = cached(stars.red_property_projects)
model_status = cached(model_communities.model_status)
model_history = cached(model_communities.model_history)
model_timeline = cached(model_communities.model_timeline)
improvement_projects = cached(model_communities.improvement_projects)
model_date_caveat = model_communities.date_caveat  # 「起始日期报道未载明，按…记」 of status records, or ""
community_summary = cached(communities.community_summary)
occupancy_watch = cached(care.occupancy_watch)
relocation_headline = cached(relocation.headline)
relocation_burnup = cached(relocation.burnup)
household_status = cached(relocation.household_status)
household_counts = cached(relocation.status_counts)
household_kinds = cached(relocation.status_kinds)
relocation_milestones = cached(relocation.milestones)
care_facilities = cached(care.facilities)
occupancy_series = cached(care.occupancy_series)
occupancy_overview = cached(care.occupancy_overview)
current_occupancy = cached(care.current_occupancy)
facility_beds = cached(care.facility_beds)
site_checks = cached(checks.site_checks)
map_layers = cached(map_data.map_layers)
community_metric = cached(map_data.community_metric)
layer_versions = cached(map_data.layer_versions)
map_origin = cached(origin_of_map.read)  # 示意 or surveyed, per layer: the map's note everywhere
METRICS = map_data.METRICS
average_score = stars.average_score  # a rule on star_counts rows (no query): how the 五星平均得分 is shown

site_check_table = cached(panels.site_check_table)
check_points = cached(panels.check_points)

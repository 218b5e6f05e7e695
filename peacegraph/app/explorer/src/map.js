/**
 * The map view: the places of the current view as circles sized by how many of the
 * view's events they host (held there or at a place the view shows within it; the
 * view is already cut to the period), over Natural Earth's country outlines bundled with
 * the page (world-atlas, public domain), so the map reads without any network.
 * Background tiles are optional: a tile URL in `<meta name="peacegraph-tiles">` adds
 * them (the server's setting); when they fail to load, the outlines still show.
 *
 * Leaflet draws the circles as SVG paths (no marker images), which the page's
 * Content-Security-Policy allows; clicking one selects the place in the graph view.
 */
import 'leaflet/dist/leaflet.css';
import './map.css';
import L from 'leaflet';
import { feature } from 'topojson-client';
import world from 'world-atlas/countries-110m.json';
import { el } from './dom.js';
import { t } from './messages.js';

/** Mali, and its neighbours drawn a little stronger than the rest of the world
 *  (ISO 3166 numeric codes, as world-atlas names its countries). */
export const MALI = '466';
const NEIGHBOURS = new Set(['012', '478', '686', '324', '384', '854', '562']);
const MALI_BOUNDS = [[10.1, -12.3], [25.0, 4.3]];

const PLACES = `
query MapPlaces($ids: [ID!]!) {
  nodes(ids: $ids) {
    id name aliases
    ... on Place { latitude longitude geonamesId }
  }
}`;

/**
 * How many events of the view each place hosts: events HELD_AT it, and those held at
 * places the view shows WITHIN it (at any depth). Counted from the drawing itself, so
 * the map needs one lookup of coordinates and no count per place.
 */
export function hostedEvents(nodes, edges) {
  const events = new Set(nodes.filter((n) => n.kind === 'Event' || n.id.startsWith('event:')).map((n) => n.id));
  const hosted = new Map();
  const parents = new Map();
  for (const edge of edges) {
    if (edge.type === 'HELD_AT' && events.has(edge.source)) {
      if (!hosted.has(edge.target)) hosted.set(edge.target, new Set());
      hosted.get(edge.target).add(edge.source);
    } else if (edge.type === 'WITHIN') {
      if (!parents.has(edge.source)) parents.set(edge.source, []);
      parents.get(edge.source).push(edge.target);
    }
  }
  const total = new Map();
  for (const [place, held] of hosted) {
    const seen = new Set();
    const queue = [place];
    while (queue.length > 0) {
      const at = queue.shift();
      if (seen.has(at)) continue;
      seen.add(at);
      if (!total.has(at)) total.set(at, new Set());
      for (const event of held) total.get(at).add(event);
      queue.push(...(parents.get(at) ?? []));
    }
  }
  return new Map([...total].map(([place, held]) => [place, held.size]));
}

/** The circle's radius for a count of events: its area grows with the count. */
export function radius(events) {
  return 5 + 4 * Math.sqrt(Math.max(0, events));
}

function outlineStyle(country) {
  const id = country.id;
  if (id === MALI) return { className: 'map-country map-mali', weight: 2, fillOpacity: 0.18 };
  if (NEIGHBOURS.has(id)) return { className: 'map-country map-neighbour', weight: 1, fillOpacity: 0.06 };
  return { className: 'map-country', weight: 0.6, fillOpacity: 0.03 };
}

export class MapView {
  /**
   * `on.select(id)` is called when a place is clicked; `api` asks the GraphQL API;
   * `label(id, name, aliases)` gives the name to show in the language in use.
   */
  constructor(stage, { api, select, label }) {
    this.api = api;
    this.on = { select, label };
    this.container = el('div', { id: 'map', class: 'map', hidden: true, role: 'region', 'data-i18n-aria-label': 'map.label' });
    this.legend = el('p', { id: 'map-note', class: 'map-note muted small', 'aria-live': 'polite' });
    stage.append(this.container, this.legend);
    this.legend.hidden = true;
    this.map = null;
    this.markers = null;
    this.places = [];
    this.asked = 0;
  }

  get shown() {
    return !this.container.hidden;
  }

  #create() {
    this.map = L.map(this.container, { zoomSnap: 0.25, worldCopyJump: true, attributionControl: true });
    this.map.attributionControl.setPrefix(false);
    const tiles = document.querySelector('meta[name="peacegraph-tiles"]')?.content;
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 12, attribution: '© OpenStreetMap' }).addTo(this.map);
      this.container.classList.add('with-tiles');
    }
    const countries = feature(world, world.objects.countries);
    L.geoJSON(countries, {
      style: outlineStyle,
      interactive: false,
      attribution: 'Natural Earth',
    }).addTo(this.map);
    this.markers = L.featureGroup().addTo(this.map);
    this.map.fitBounds(MALI_BOUNDS);
  }

  /** Show or hide the map; it is built the first time it is shown. */
  toggle(visible) {
    this.container.hidden = !visible;
    this.legend.hidden = !visible;
    if (visible && !this.map) this.#create();
    if (visible) this.map.invalidateSize();
  }

  /**
   * Draw the places among `nodes` (the graph view's node data), sized by the events
   * of the view each hosts (`edges`: the view's edge data). Resolves with the number
   * of markers.
   */
  async update(nodes, attempt = (call) => call(), edges = []) {
    if (!this.map) return 0;
    const ids = nodes.filter((n) => n.kind === 'Place' || n.id.startsWith('place:')).map((n) => n.id);
    const counts = hostedEvents(nodes, edges);
    const asked = ++this.asked;
    let found = [];
    if (ids.length > 0) {
      const data = await attempt(() => this.api(PLACES, { ids }));
      if (!data || asked !== this.asked) return this.markers.getLayers().length;
      found = data.nodes.filter(Boolean);
    }
    this.places = found.map((place) => ({ ...place, events: counts.get(place.id) ?? 0 }));
    this.#draw();
    return this.markers.getLayers().length;
  }

  #draw() {
    this.markers.clearLayers();
    const located = this.places.filter((p) => p.latitude != null && p.longitude != null);
    // Biggest first, so a small place drawn over a big one stays clickable.
    const ordered = [...located].sort((a, b) => b.events - a.events);
    for (const place of ordered) {
      const { events } = place;
      const marker = L.circleMarker([place.latitude, place.longitude], {
        radius: radius(events),
        className: 'map-marker',
        weight: 1.5,
        fillOpacity: 0.55,
      });
      const name = this.on.label(place.id, place.name, place.aliases);
      marker.bindTooltip(`${name} · ${t('map.events', { n: events })}`, { direction: 'top' });
      marker.on('click', () => this.on.select(place.id));
      marker.on('add', () => {
        const path = marker.getElement();
        path?.setAttribute('data-id', place.id);
        path?.setAttribute('data-events', String(events));
      });
      marker.addTo(this.markers);
    }
    const missing = this.places.length - located.length;
    this.legend.textContent = this.places.length === 0
      ? t('map.none')
      : t('map.count', { n: located.length, missing });
    this.legend.dataset.markers = String(located.length);
    this.legend.dataset.version = String(Number(this.legend.dataset.version ?? 0) + 1);
    if (located.length > 0) {
      this.map.fitBounds(this.markers.getBounds(), { padding: [40, 40], maxZoom: 8 });
    } else {
      this.map.fitBounds(MALI_BOUNDS);
    }
  }

  /** Say the tooltips and the note again in the language now in use. */
  relabel() {
    if (this.map) this.#draw();
  }

  resize() {
    if (this.map && this.shown) this.map.invalidateSize();
  }
}

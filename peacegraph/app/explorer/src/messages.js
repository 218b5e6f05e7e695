/**
 * Every string the page shows, in French (the officers' language, the default) and
 * English, and how dates are written in each; plus the banner when the API fails and
 * the status line under the drawing. Live regions carry a version number so tests and
 * tools can wait for their next update.
 *
 * The language is chosen once from the browser (English only when the browser asks
 * for English first), then kept in localStorage and in the shared link (`lang=`), so a
 * link opens in the language it was sent in.
 */
import { ApiError, ApiUnreachable } from './api.js';
import { byId } from './dom.js';

export const LANGS = ['fr', 'en'];
const STORAGE_KEY = 'peacegraph.lang';

const fr = {
  'page.title': 'Explorateur PeaceGraph',
  'header.title': 'explorateur',
  'header.graphiql': 'GraphiQL',
  'header.graphiql.title': 'Interroger l’API GraphQL directement',
  'header.review': 'Revue',
  'header.review.title': 'Revoir un brouillon d’extraction (jeton d’éditeur)',
  'header.lang': 'English',
  'header.lang.title': 'Switch the interface to English',
  'header.openFull': 'Ouvrir dans PeaceGraph',
  'skip': 'Aller à la recherche',
  'search.label': 'Trouver un acteur',
  'search.placeholder': 'CEDEAO, Cordaid, Mopti…  (touche /)',
  'search.submit': 'Voir le réseau',
  'search.count': '{n} suggestion{s} ; choisissez avec les flèches.',
  'search.also': 'aussi « {alias} »',
  'search.none': 'Rien ne correspond à « {text} ». Essayez une autre orthographe, un sigle (CEDEAO, PNUD) ou moins de mots.',
  'toolbar.label': 'Vue',
  'depth.label': 'Profondeur',
  'depth.1': '1 saut',
  'depth.2': '2 sauts',
  'fit': 'Recadrer',
  'export.png': 'Exporter PNG',
  'export.svg': 'Exporter SVG',
  'export.json': 'Exporter JSON',
  'share': 'Copier le lien',
  'share.field': 'Lien vers cette vue',
  'share.copied': 'Lien copié.',
  'share.copy': 'Copiez ce lien :',
  'retry': 'Réessayer',
  'controls.label': 'Filtres et outils',
  'path.legend': 'Quel lien entre eux ?',
  'path.from': 'De',
  'path.to': 'À',
  'path.from.placeholder': 'ex. Folke Bernadotte',
  'path.to.placeholder': 'ex. Cordaid',
  'path.submit': 'Trouver le lien',
  'path.clear': 'Effacer',
  'path.chooseBoth': 'Choisissez d’abord les deux bouts dans les suggestions.',
  'path.chooseTwo': 'Choisissez deux acteurs différents.',
  'path.none': 'Aucun lien en {max} sauts au plus entre {from} et {to} avec les filtres actuels.',
  'path.found': '{from} et {to} sont à {hops} saut{s} l’un de l’autre :',
  'path.others': '{n} autre{s} chemin{s} aussi court{s}',
  'kinds.legend': 'Types affichés',
  'kinds.legendNote': '(légende)',
  'period.legend': 'Période',
  'period.from': 'Du',
  'period.to': 'au',
  'period.hint': 'Une année, un mois ou une date : 2023, 2023-07, 2023-07-15',
  'period.apply': 'Appliquer la période',
  'period.any': 'Toute période',
  'period.notDate': '« {text} » n’est pas une date : écrivez 2023, 2023-07 ou 2023-07-15.',
  'period.reversed': 'Le début de la période est après sa fin.',
  'period.showing': 'Ce qui chevauche {since} – {until}.',
  'period.beginning': 'le début',
  'period.now': 'aujourd’hui',
  'types.summary': 'Types de relation',
  'types.legend': 'Types de relation affichés',
  'inView.title': 'Dans la vue',
  'inView.note': 'Chaque nœud dessiné, pour le clavier et les lecteurs d’écran : Entrée l’ouvre.',
  'stage.label': 'Dessin du réseau',
  'empty.search': 'Cherchez un acteur',
  'empty.rest': 'pour voir ses partenaires, événements, programmes et lieux.',
  'empty.hint': 'Cliquez sur un nœud pour ses détails et sources · double-cliquez pour l’étendre.',
  'keys': 'Touches : {slash} recherche · {esc} fermer le panneau · {plus}/{minus} zoom · {zero} recadrer',
  'panel.label': 'Détails',
  'panel.close': 'Fermer le panneau',
  'status.noNode': 'Aucun nœud d’id « {id} ». Cherchez plutôt un acteur.',
  'status.cut': ' Seuls les {limit} premiers nœuds sont affichés : resserrez les filtres ou la profondeur.',
  'status.alone': ' Rien autour ne correspond aux filtres.',
  'status.view': '{nodes} nœuds et {edges} liens autour de {name} (profondeur {depth}), disposés en {ms} ms.{alone}{cut}',
  'status.added': '{n} nœud{s} ajouté{s} autour de {name} ; {total} dans la vue.',
  'status.nothingNew': 'Rien de nouveau autour de {name} avec ces filtres.',
  'bundle': '+{n} {kind}',
  'error.unreachable': 'Impossible de joindre l’API PeaceGraph : {message}. Vérifiez que le serveur tourne, puis réessayez.',
  'error.api': 'L’API a refusé la requête : {message}',
  'error.page': 'Un problème est survenu dans la page : {message}',
  'node.missing': 'Aucun nœud d’id « {id} ».',
  'panel.note': 'Note de l’éditeur : ',
  'panel.aka': 'Aussi appelé',
  'panel.when': 'Quand',
  'panel.themes': 'Thèmes',
  'panel.value': 'Valeur',
  'panel.participants': 'Participants',
  'panel.women': 'Femmes',
  'panel.youth': 'Jeunes',
  'panel.disabled': 'Personnes handicapées',
  'panel.id': 'Id',
  'panel.expand': 'Étendre les voisins',
  'panel.focus': 'Centrer le réseau ici',
  'panel.pathFrom': 'Chemin depuis ici',
  'panel.pathTo': 'Chemin jusqu’ici',
  'panel.timeline': 'Chronologie',
  'panel.sources': 'Sources',
  'panel.noSource': 'Aucun passage enregistré.',
  'panel.noEvent': 'Aucun événement enregistré.',
  'panel.noEventPeriod': 'Aucun événement dans la période choisie.',
  'panel.undated': 'sans date',
  'panel.with': 'avec {names}',
  'panel.from': 'De',
  'panel.to': 'À',
  'panel.role': 'Rôle',
  'panel.count': 'Nombre',
  'panel.programme': 'Programme',
  'panel.relNote': 'Note',
  'date.since': 'depuis {date}',
  'date.until': 'jusqu’à {date}',
  'export.title': 'Réseau autour de {name}',
  'export.titleEmpty': 'Réseau PeaceGraph',
  'export.period': 'Période : {period}',
  'export.anyTime': 'Période : toutes dates',
  'export.source': 'Source : PeaceGraph, {documents}',
  'export.defaultSource': 'rapport WANEP-Mali T3 2023',
  'export.legend': 'Légende',
  'kind.Organization': 'Organisation',
  'kind.Person': 'Personne',
  'kind.Event': 'Événement',
  'kind.Programme': 'Programme',
  'kind.Place': 'Lieu',
  'kind.Observation': 'Observation',
  'kind.Source': 'Document source',
  'kinds.Organization': 'organisations',
  'kinds.Person': 'personnes',
  'kinds.Event': 'événements',
  'kinds.Programme': 'programmes',
  'kinds.Place': 'lieux',
  'kinds.Observation': 'observations',
  'kinds.Source': 'documents',
  'rel.PARTNER_OF': 'partenaire de',
  'rel.MEMBER_OF': 'membre de',
  'rel.PART_OF': 'fait partie de',
  'rel.WORKS_FOR': 'travaille pour',
  'rel.ORGANIZED': 'a organisé',
  'rel.FUNDED': 'a financé',
  'rel.PARTICIPATED_IN': 'a participé à',
  'rel.ATTENDED': 'a assisté à',
  'rel.IMPLEMENTS': 'met en œuvre',
  'rel.HELD_AT': 's’est tenu à',
  'rel.WITHIN': 'situé dans',
  'rel.ABOUT': 'porte sur',
  'rel.MENTIONED_IN': 'cité dans',
  'map.toMap': 'Carte',
  'map.toGraph': 'Graphe',
  'map.label': 'Carte des lieux de la vue',
  'map.events': '{n} événement(s)',
  'map.count': '{n} lieu(x) sur la carte ; {missing} sans coordonnées. Taille : événements de la vue qui s’y sont tenus.',
  'map.none': 'Aucun lieu dans la vue : cherchez un lieu ou étendez la vue.',
  'slider.legend': 'Curseur temporel',
  'slider.from': 'Début de la période',
  'slider.to': 'Fin de la période',
  'slider.all': 'Toutes dates ({a} – {b})',
  'slider.period': 'De {a} à {b}',
  'review.pageTitle': 'Revue d’un brouillon – PeaceGraph',
  'review.title': 'revue d’un brouillon d’extraction',
  'review.explorer': 'Explorateur',
  'review.token': 'Jeton d’éditeur',
  'review.signIn': 'Ouvrir',
  'review.signOut': 'Oublier le jeton',
  'review.draft': 'Brouillon',
  'review.needToken': 'Saisissez un jeton d’éditeur (peacegraph token create --role editor) pour voir les brouillons.',
  'review.noDrafts': 'Aucun brouillon à revoir : ajoutez-en un avec « peacegraph review add DOSSIER ».',
  'review.help': 'Chaque paragraphe du rapport, avec à droite les faits proposés ; survolez un fait pour voir sa citation. Rien n’entre dans le graphe sans être accepté.',
  'review.progress': '{decided} fait(s) décidé(s) sur {total}',
  'review.factsOf': 'Faits proposés pour ce paragraphe',
  'review.seed': 'Faits revus en YAML pour le seed',
  'review.seedHint': 'Les trois fichiers forment un dossier que « peacegraph seed check » accepte.',
  'review.leftOut': '{n} relation(s) acceptée(s) laissée(s) hors du YAML : une extrémité n’a pas été acceptée dans cette revue.',
  'review.accept': 'Accepter',
  'review.edit': 'Modifier',
  'review.reject': 'Rejeter',
  'review.acceptEdited': 'Accepter avec ces modifications',
  'review.cancel': 'Annuler',
  'review.accepted': 'Accepté par {by} : dans le graphe.',
  'review.acceptedEdited': 'Accepté modifié par {by} : dans le graphe.',
  'review.rejected': 'Rejeté par {by}.',
  'review.aliases': 'aussi : {names}',
  'review.moreQuotes': 'et {n} autre(s) citation(s) dans le rapport',
  'review.candidates': '({ids})',
  'review.sameAs': 'Même nœud que',
  'review.sameAs.none': '(nœud du brouillon)',
  'review.sameAsOption': 'même nœud que {id}',
  'review.status.NEW': 'nouveau',
  'review.status.KNOWN': 'connu',
  'review.status.AMBIGUOUS': 'ambigu',
  'review.status.PROPOSED': 'proposé',
  'review.label.Organization': 'organisation',
  'review.label.Person': 'personne',
  'review.label.Event': 'événement',
  'review.label.Programme': 'programme',
  'review.label.Place': 'lieu',
  'review.label.Observation': 'observation',
  'review.field.name': 'Nom',
  'review.field.kind': 'Sous-type',
  'review.field.start': 'Début',
  'review.field.end': 'Fin',
  'review.field.description': 'Description',
  'review.field.participants': 'Participants',
  'review.field.women': 'Femmes',
  'review.field.youth': 'Jeunes',
  'review.field.value': 'Valeur',
  'review.field.unit': 'Unité',
  'review.field.type': 'Relation',
  'review.field.from': 'De (id)',
  'review.field.to': 'Vers (id)',
  'review.field.role': 'Rôle',
  'review.field.count': 'Nombre',
};

const en = {
  'page.title': 'PeaceGraph explorer',
  'header.title': 'explorer',
  'header.graphiql': 'GraphiQL',
  'header.graphiql.title': 'Query the GraphQL API directly',
  'header.review': 'Review',
  'header.review.title': 'Review an extraction draft (editor token)',
  'header.lang': 'Français',
  'header.lang.title': 'Passer l’interface en français',
  'header.openFull': 'Open in PeaceGraph',
  'skip': 'Skip to search',
  'search.label': 'Find an actor',
  'search.placeholder': 'ECOWAS, Cordaid, Mopti…  (press /)',
  'search.submit': 'Show network',
  'search.count': '{n} suggestion{s}; use the arrow keys to choose.',
  'search.also': 'also “{alias}”',
  'search.none': 'Nothing matches “{text}”. Try another spelling, an acronym (ECOWAS, UNDP) or fewer words.',
  'toolbar.label': 'View',
  'depth.label': 'Depth',
  'depth.1': '1 hop',
  'depth.2': '2 hops',
  'fit': 'Fit',
  'export.png': 'Export PNG',
  'export.svg': 'Export SVG',
  'export.json': 'Export JSON',
  'share': 'Copy link',
  'share.field': 'Link to this view',
  'share.copied': 'Link copied.',
  'share.copy': 'Copy this link:',
  'retry': 'Retry',
  'controls.label': 'Filters and tools',
  'path.legend': 'How are they connected?',
  'path.from': 'From',
  'path.to': 'To',
  'path.from.placeholder': 'e.g. Folke Bernadotte',
  'path.to.placeholder': 'e.g. Cordaid',
  'path.submit': 'Find connection',
  'path.clear': 'Clear',
  'path.chooseBoth': 'Choose both ends from the suggestions first.',
  'path.chooseTwo': 'Choose two different actors.',
  'path.none': 'No connection within {max} hops between {from} and {to} with the current filters.',
  'path.found': '{from} and {to} are {hops} hop{s} apart:',
  'path.others': '{n} other way{s} as short',
  'kinds.legend': 'Kinds shown',
  'kinds.legendNote': '(legend)',
  'period.legend': 'Period',
  'period.from': 'From',
  'period.to': 'to',
  'period.hint': 'A year, year-month or date: 2023, 2023-07, 2023-07-15',
  'period.apply': 'Apply period',
  'period.any': 'Any time',
  'period.notDate': '“{text}” is not a date: write 2023, 2023-07 or 2023-07-15.',
  'period.reversed': 'The start of the period comes after its end.',
  'period.showing': 'Showing what overlaps {since} – {until}.',
  'period.beginning': 'the beginning',
  'period.now': 'now',
  'types.summary': 'Relationship types',
  'types.legend': 'Relationship types shown',
  'inView.title': 'In view',
  'inView.note': 'Every node drawn, for keyboard and screen-reader use: press Enter to open one.',
  'stage.label': 'Network drawing',
  'empty.search': 'Search for an actor',
  'empty.rest': 'to see its partners, events, programmes and places.',
  'empty.hint': 'Click a node for its details and sources · double-click to expand it.',
  'keys': 'Keys: {slash} search · {esc} close panel · {plus}/{minus} zoom · {zero} fit',
  'panel.label': 'Details',
  'panel.close': 'Close the panel',
  'status.noNode': 'No node with id “{id}”. Search for an actor instead.',
  'status.cut': ' Only the first {limit} nodes are shown: narrow the filters or the depth.',
  'status.alone': ' Nothing around it matches the filters.',
  'status.view': '{nodes} nodes and {edges} links around {name} (depth {depth}), laid out in {ms} ms.{alone}{cut}',
  'status.added': 'Added {n} node{s} around {name}; {total} in view.',
  'status.nothingNew': 'Nothing new around {name} with these filters.',
  'bundle': '+{n} {kind}',
  'error.unreachable': 'Cannot reach the PeaceGraph API: {message}. Check that the server is running, then retry.',
  'error.api': 'The API refused the request: {message}',
  'error.page': 'Something went wrong in the page: {message}',
  'node.missing': 'No node with id “{id}”.',
  'panel.note': 'Editor’s note: ',
  'panel.aka': 'Also known as',
  'panel.when': 'When',
  'panel.themes': 'Themes',
  'panel.value': 'Value',
  'panel.participants': 'Participants',
  'panel.women': 'Women',
  'panel.youth': 'Youth',
  'panel.disabled': 'People with disabilities',
  'panel.id': 'Id',
  'panel.expand': 'Expand neighbours',
  'panel.focus': 'Centre network here',
  'panel.pathFrom': 'Path from here',
  'panel.pathTo': 'Path to here',
  'panel.timeline': 'Timeline',
  'panel.sources': 'Sources',
  'panel.noSource': 'No passage recorded.',
  'panel.noEvent': 'No event recorded.',
  'panel.noEventPeriod': 'No event in the selected period.',
  'panel.undated': 'undated',
  'panel.with': 'with {names}',
  'panel.from': 'From',
  'panel.to': 'To',
  'panel.role': 'Role',
  'panel.count': 'Count',
  'panel.programme': 'Programme',
  'panel.relNote': 'Note',
  'date.since': 'since {date}',
  'date.until': 'until {date}',
  'export.title': 'Network around {name}',
  'export.titleEmpty': 'PeaceGraph network',
  'export.period': 'Period: {period}',
  'export.anyTime': 'Period: any time',
  'export.source': 'Source: PeaceGraph, {documents}',
  'export.defaultSource': 'WANEP-Mali report, Q3 2023',
  'export.legend': 'Legend',
  'kind.Organization': 'Organisation',
  'kind.Person': 'Person',
  'kind.Event': 'Event',
  'kind.Programme': 'Programme',
  'kind.Place': 'Place',
  'kind.Observation': 'Observation',
  'kind.Source': 'Source document',
  'kinds.Organization': 'organisations',
  'kinds.Person': 'people',
  'kinds.Event': 'events',
  'kinds.Programme': 'programmes',
  'kinds.Place': 'places',
  'kinds.Observation': 'observations',
  'kinds.Source': 'documents',
  'rel.PARTNER_OF': 'partner of',
  'rel.MEMBER_OF': 'member of',
  'rel.PART_OF': 'part of',
  'rel.WORKS_FOR': 'works for',
  'rel.ORGANIZED': 'organised',
  'rel.FUNDED': 'funded',
  'rel.PARTICIPATED_IN': 'took part in',
  'rel.ATTENDED': 'attended',
  'rel.IMPLEMENTS': 'implements',
  'rel.HELD_AT': 'held at',
  'rel.WITHIN': 'within',
  'rel.ABOUT': 'about',
  'rel.MENTIONED_IN': 'mentioned in',
  'map.toMap': 'Map',
  'map.toGraph': 'Graph',
  'map.label': 'Map of the places in view',
  'map.events': '{n} event(s)',
  'map.count': '{n} place(s) on the map; {missing} without coordinates. Size: events of the view held there.',
  'map.none': 'No place in view: search for a place or expand the view.',
  'slider.legend': 'Time slider',
  'slider.from': 'Start of the period',
  'slider.to': 'End of the period',
  'slider.all': 'Any time ({a} – {b})',
  'slider.period': 'From {a} to {b}',
  'review.pageTitle': 'Draft review – PeaceGraph',
  'review.title': 'extraction draft review',
  'review.explorer': 'Explorer',
  'review.token': 'Editor token',
  'review.signIn': 'Open',
  'review.signOut': 'Forget the token',
  'review.draft': 'Draft',
  'review.needToken': 'Enter an editor token (peacegraph token create --role editor) to see the drafts.',
  'review.noDrafts': 'No draft to review: add one with `peacegraph review add FOLDER`.',
  'review.help': 'Each paragraph of the report, with the facts proposed from it on the right; hover a fact to see its quote. Nothing enters the graph unless accepted.',
  'review.progress': '{decided} of {total} fact(s) decided',
  'review.factsOf': 'Facts proposed from this paragraph',
  'review.seed': 'Reviewed facts as seed YAML',
  'review.seedHint': 'The three files make a folder that `peacegraph seed check` accepts.',
  'review.leftOut': '{n} accepted relationship(s) left out of the YAML: an end was not accepted in this review.',
  'review.accept': 'Accept',
  'review.edit': 'Edit',
  'review.reject': 'Reject',
  'review.acceptEdited': 'Accept with these changes',
  'review.cancel': 'Cancel',
  'review.accepted': 'Accepted by {by}: in the graph.',
  'review.acceptedEdited': 'Accepted with changes by {by}: in the graph.',
  'review.rejected': 'Rejected by {by}.',
  'review.aliases': 'also: {names}',
  'review.moreQuotes': 'and {n} other quote(s) in the report',
  'review.candidates': '({ids})',
  'review.sameAs': 'Same node as',
  'review.sameAs.none': '(the draft’s node)',
  'review.sameAsOption': 'same node as {id}',
  'review.status.NEW': 'new',
  'review.status.KNOWN': 'known',
  'review.status.AMBIGUOUS': 'ambiguous',
  'review.status.PROPOSED': 'proposed',
  'review.label.Organization': 'organisation',
  'review.label.Person': 'person',
  'review.label.Event': 'event',
  'review.label.Programme': 'programme',
  'review.label.Place': 'place',
  'review.label.Observation': 'observation',
  'review.field.name': 'Name',
  'review.field.kind': 'Sub-kind',
  'review.field.start': 'Start',
  'review.field.end': 'End',
  'review.field.description': 'Description',
  'review.field.participants': 'Participants',
  'review.field.women': 'Women',
  'review.field.youth': 'Youth',
  'review.field.value': 'Value',
  'review.field.unit': 'Unit',
  'review.field.type': 'Relationship',
  'review.field.from': 'From (id)',
  'review.field.to': 'To (id)',
  'review.field.role': 'Role',
  'review.field.count': 'Count',
};

const CATALOGUE = { fr, en };

let current = 'fr';

/** The language a first visit gets: English when the browser puts English first, else French. */
export function browserLang() {
  const wanted = (navigator.languages?.length ? navigator.languages : [navigator.language ?? 'fr'])
    .map((l) => String(l).toLowerCase());
  const first = wanted.find((l) => l.startsWith('fr') || l.startsWith('en'));
  return first?.startsWith('en') ? 'en' : 'fr';
}

/** The language to use when the link does not say: the one chosen before, else the browser's. */
export function preferredLang() {
  try {
    const kept = window.localStorage.getItem(STORAGE_KEY);
    if (LANGS.includes(kept)) return kept;
  } catch {
    // Storage refused (a sandboxed frame, private mode): the browser's language will do.
  }
  return browserLang();
}

export function lang() {
  return current;
}

/** Use `wanted` from now on, and remember it for the next visit. */
export function setLang(wanted, { remember = true } = {}) {
  current = LANGS.includes(wanted) ? wanted : 'fr';
  document.documentElement.lang = current;
  if (!remember) return;
  try {
    window.localStorage.setItem(STORAGE_KEY, current);
  } catch {
    // Not remembered across visits; the link still carries it.
  }
}

/** The message `key` in the current language, with `{name}` placeholders filled. */
export function t(key, params = {}) {
  const text = CATALOGUE[current][key] ?? CATALOGUE.fr[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/** "s" when a count calls for a plural (both languages put it on the same words here). */
export function plural(n) {
  return n > 1 ? 's' : '';
}

/** The label of a relationship type: "PARTICIPATED_IN" → "a participé à" / "took part in". */
export function relLabel(type) {
  return t(`rel.${type}`) === `rel.${type}` ? type.toLowerCase().replaceAll('_', ' ') : t(`rel.${type}`);
}

// ---- dates ---------------------------------------------------------------------------

const PRECISION = {
  day: { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' },
  month: { month: 'short', year: 'numeric', timeZone: 'UTC' },
  year: { year: 'numeric', timeZone: 'UTC' },
};

/** A partial ISO date as a Date and its precision, or null. */
function parse(value) {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value ?? '');
  if (!match) return null;
  const [, year, month, day] = match;
  const date = new Date(Date.UTC(Number(year), Number(month ?? 1) - 1, Number(day ?? 1)));
  return { date, precision: day ? 'day' : month ? 'month' : 'year' };
}

/** "2023-09-19" → "19 sept. 2023", "2023-09" → "sept. 2023", "2023" → "2023" (English: "Sep 19, 2023"). */
export function formatDate(value) {
  const parsed = parse(value);
  if (!parsed) return value ?? '';
  return new Intl.DateTimeFormat(current, PRECISION[parsed.precision]).format(parsed.date);
}

/**
 * An interval with partial dates and open ends: "18–29 sept. 2023", "depuis 2011",
 * "jusqu’à 2025". `openStart` says whether a start alone means "since" (a partnership)
 * rather than a single day (an event).
 */
export function formatPeriod(start, end, { openStart = true } = {}) {
  if (!start && !end) return null;
  if (start && end && start !== end) {
    const a = parse(start);
    const b = parse(end);
    if (a && b && a.precision === b.precision) {
      return new Intl.DateTimeFormat(current, PRECISION[a.precision]).formatRange(a.date, b.date);
    }
    return `${formatDate(start)} – ${formatDate(end)}`;
  }
  if (start && (end || !openStart)) return formatDate(start);
  if (start) return t('date.since', { date: formatDate(start) });
  return t('date.until', { date: formatDate(end) });
}

// ---- the page's static text ----------------------------------------------------------

/**
 * Fill the page's fixed text from the catalogue: `data-i18n` (text),
 * `data-i18n-placeholder`, `data-i18n-title` and `data-i18n-aria-label` hold keys.
 */
export function translatePage(root = document) {
  document.title = t('page.title');
  for (const node of root.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const [attribute, key] of [['placeholder', 'i18nPlaceholder'], ['title', 'i18nTitle'], ['aria-label', 'i18nAriaLabel']]) {
    for (const node of root.querySelectorAll(`[data-${attribute === 'aria-label' ? 'i18n-aria-label' : `i18n-${attribute}`}]`)) {
      node.setAttribute(attribute, t(node.dataset[key]));
    }
  }
}

// ---- the banner and the status line --------------------------------------------------

export function showError(error, retry) {
  const text = error instanceof ApiUnreachable
    ? t('error.unreachable', { message: error.message })
    : error instanceof ApiError
      ? t('error.api', { message: error.message })
      : t('error.page', { message: error.message });
  byId('banner-text').textContent = text;
  byId('banner').hidden = false;
  byId('banner-retry').onclick = () => {
    byId('banner').hidden = true;
    retry();
  };
  if (!(error instanceof ApiUnreachable || error instanceof ApiError)) console.error(error);
}

/**
 * Run an API call; on failure show why, offer `retry` (the whole user action, so
 * its answer is drawn too) and resolve with undefined.
 */
export async function attempt(call, retry) {
  document.body.classList.add('busy');
  try {
    const result = await call();
    byId('banner').hidden = true;
    return result;
  } catch (error) {
    showError(error, retry);
    return undefined;
  } finally {
    document.body.classList.remove('busy');
  }
}

/** Count the updates of a live region. */
export function bump(node) {
  node.dataset.version = String(Number(node.dataset.version ?? 0) + 1);
}

let statusText = () => '';

/**
 * Say what the drawing shows. `text` is a function, so the line can be said again
 * in the other language; the data attributes expose the layout's figures.
 */
export function setStatus(text, timing) {
  statusText = typeof text === 'function' ? text : () => text;
  const status = byId('status');
  status.textContent = statusText();
  bump(status);
  if (timing) {
    status.dataset.nodes = String(timing.nodes);
    status.dataset.layoutMs = timing.layoutMs.toFixed(0);
    status.dataset.paintedMs = timing.paintedMs.toFixed(0);
  }
}

/** The status line again, in the language now in use. */
export function restatus() {
  byId('status').textContent = statusText();
}

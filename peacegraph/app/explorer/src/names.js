/**
 * Node names are data, in French as the report gives them. In English the page shows
 * the node's English alias when it has one. The graph does not tag aliases with a
 * language (an alias is any other name: acronym, translation, spelling), so the
 * English one is recognised by its words: English function and domain words and no
 * French ones. Acronyms and single words are left alone (ECOWAS and CEDEAO are both
 * acronyms), so a node with no clearly English alias keeps its French name.
 */
import { lang } from './messages.js';

const ENGLISH = new Set((
  'the of and in on at by for with to from into about between its '
  + 'united nations council union european african west south east north community economic states '
  + 'network school day days visit meeting meetings workshop training trainers course campaign campaigns '
  + 'conference debate award people women young youth reached trained participants submitted reports report '
  + 'weekly monthly bimonthly bulletins products alert incidents platform project programme strategy '
  + 'development cooperation support reforms elections election management bodies electoral law '
  + 'security sector reform peace peacekeeping peacebuilding agenda week reconciliation national armed forces '
  + 'guard court constitutional gendarmerie police malian republic region coast netherlands sweden swedish '
  + 'civil society unit delegation exchange partnership refugee danish border monitoring mobile app '
  + 'early warning response system women\'s participation process strategies improve governor needs specific '
  + 'entity gender equality empowerment mission multidimensional integrated stabilization executive director '
  + 'africa sweden guinea gambia congo '
  + 'deputy regional officer evaluation scoping outreach awareness information communication cybercrime media local '
  + 'annual planning international humanitarian disarmament courtesy final is present covers implemented countries'
).split(' '));

const FRENCH = new Set((
  'le la les l de des du d un une et à au aux sur pour par dans avec en entre '
  + 'nationale national régional régionale organisation ministère conseil nations unies union européenne '
  + 'communauté économique états afrique ouest région république programme projet agenda semaine '
  + 'atelier visite formation campagne campagnes conférence journée rencontre réunion sessions '
  + 'femmes jeunes paix sécurité école secrétariat cellule société civile plateforme rapports bulletins '
  + 'produits incidents soumis touchées touchés personnes pays couvre implanté mis œuvre'
).split(' '));

function words(text) {
  return text.split(/[^\p{L}'’]+/u).flatMap((w) => w.split(/['’]/)).filter(Boolean);
}

/** Upper-case tokens (UN, ECOWAS) belong to no language. */
const isAcronym = (word) => /^[\p{Lu}\d-]{2,}$/u.test(word) && /\p{Lu}/u.test(word);

/** How English a name reads: English words count, French ones count against. */
function englishScore(text) {
  let score = 0;
  for (const word of words(text)) {
    if (isAcronym(word)) continue;
    const lower = word.toLowerCase();
    if (FRENCH.has(lower) && !ENGLISH.has(lower)) score -= 2;
    else if (ENGLISH.has(lower) && !FRENCH.has(lower)) score += 1;
  }
  return score;
}

/** The initials of a name, small words included: "Economic Community of West African States" → ECOWAS. */
function initials(text) {
  return words(text).map((w) => w[0].toUpperCase()).join('');
}

/**
 * The English alias of a node, or null when none reads as English. A one-word name
 * (CEDEAO, Mali, Cordaid) changes only for an English acronym spelled by the initials
 * of an English alias (ECOWAS) or a short English name that does not repeat it
 * (Sweden, The Gambia): a long expansion would replace the name people use.
 */
export function englishName(name, aliases = []) {
  const single = words(name).length < 2 || isAcronym(name.replaceAll(' ', ''));
  if (!single && englishScore(name) >= 0) return null;
  const english = aliases.filter((a) => englishScore(a) > 0);
  if (single) {
    const spelled = new Set(english.map(initials));
    const acronym = aliases.find((a) => isAcronym(a) && a !== name && spelled.has(a));
    if (acronym) return acronym;
    return english.find((a) => words(a).length <= 2 && !a.includes(name)) ?? null;
  }
  // The shortest English alias: "UN Women" rather than the organisation's full title.
  return english.reduce((best, a) => (best === null || a.length < best.length ? a : best), null);
}

/** The name to show in the language in use: the French name, or its English alias in English. */
export function displayName(name, aliases = []) {
  if (lang() !== 'en') return name;
  return englishName(name, aliases) ?? name;
}

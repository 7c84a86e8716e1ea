/**
 * Français. Every text of the interface, in the shape of the English modules (src/lib/ui/*-messages.ts):
 * the compiler refuses a missing or extra text, and tests/unit/i18n/catalogs.test.ts one left in English.
 */
import type { Catalog } from './catalog';
import { formatCoordinate, formatNumber } from './format';
import { pluralIn } from './plural';

const p = pluralIn('fr');
const n = (x: number) => formatNumber(x, 'fr');
const deg = (x: number) => formatCoordinate(x, 'fr');
/** A position: "latitude 12,65000, longitude -8,00000 (à 25 m près)" (a comma separates decimals in French). */
const position = (latitude: number, longitude: number, accuracy: number | undefined) =>
	`latitude ${deg(latitude)}, longitude ${deg(longitude)}${accuracy === undefined ? '' : ` (à ${n(accuracy)} m près)`}`;
/** An image's format as people name it: "JPEG", "PNG", "WEBP". */
const imageFormat = (mediaType: string) => `${mediaType}`.replace('image/', '').toUpperCase();
const events = (x: number) => p(x, { one: '# événement', other: '# événements' });

const catalog: Catalog = {
	t: {
		app: {
			name: 'Casetrail',
			tagline: 'Registre de cas hors ligne avec une piste d’audit infalsifiable',
			skip: 'Aller au contenu principal',
			nav: 'Principale',
			online: 'En ligne',
			offline: 'Hors ligne : tout continue de fonctionner et est enregistré sur cet appareil',
			title: (page) => `${page} – Casetrail`
		},
		nav: {
			home: 'Accueil',
			entities: 'Personnes et ménages',
			register: 'Enregistrer',
			households: 'Nouveau ménage',
			log: 'Journal',
			integrity: 'Intégrité',
			metrics: 'Mesures',
			settings: 'Paramètres'
		},
		language: {
			label: 'Langue',
			hint: 'La langue de l’interface, mémorisée pour vous sur cet appareil.'
		},
		common: {
			loading: 'Chargement…',
			saving: 'Enregistrement…',
			cancel: 'Annuler',
			required: '(obligatoire)',
			optional: '(facultatif)',
			reason: 'Motif',
			reasonHint: 'Pourquoi cette modification est faite ; il reste dans l’historique pour toujours.',
			errorTitle: 'Cela n’a pas fonctionné',
			retry: 'Réessayer',
			notFound: 'Ce dossier n’est pas sur cet appareil.',
			cannotOpen: 'Ce dossier ne peut pas être ouvert',
			yes: 'Oui',
			no: 'Non',
			none: '—',
			deleted: 'Supprimé',
			individual: 'Personne',
			group: 'Ménage',
			unnamed: '(sans nom)',
			notVisible: 'Non visible pour vous',
			by: (user) => `par ${user}`,
			refreshed: 'Mis à jour avec les modifications d’un autre onglet.'
		},
		errors: {
			signIn: 'Se connecter',
			action: {
				'not-signed-in': 'Connectez-vous, puis rouvrez cette page.',
				'validation-failed': 'Corrigez les champs signalés ci-dessous, puis enregistrez à nouveau.',
				'not-found': 'Revenez à la liste et cherchez à nouveau.'
			}
		},
		fields: {
			givenName: 'Prénom',
			familyName: 'Nom de famille',
			sex: 'Sexe',
			dateOfBirth: 'Date de naissance',
			phone: 'Téléphone',
			nationalId: 'Numéro d’identité nationale',
			address: 'Village ou adresse',
			notes: 'Remarques',
			photo: 'Photo',
			name: 'Nom du ménage',
			deleted: 'Supprimé',
			caseWorker: 'Travailleur social',
			assignmentDate: 'Attribué le',
			member: (name) => `Membre : ${name}`
		},
		photo: {
			settingTitle: 'Photos',
			setting: 'Plus grand côté des photos enregistrées par cet appareil',
			side: (pixels: string) => `${pixels} pixels`,
			settingHint: 'Les photos sont réduites sur l’appareil avant d’être enregistrées. Une taille plus petite économise le stockage et allège les lots ; une plus grande garde les documents lisibles. Les photos déjà enregistrées gardent leur taille.',
			take: 'Prendre une photo',
			choose: 'Choisir une photo',
			replace: 'Choisir une autre photo',
			remove: 'Retirer la photo',
			current: 'Photo actuelle',
			newPhoto: 'Nouvelle photo',
			willRemove: 'La photo sera retirée à l’enregistrement (elle reste dans l’historique).',
			keep: 'Garder la photo',
			preparing: 'Préparation de la photo…',
			ready: (kb, width, height) => `Photo prête : ${n(width)} × ${n(height)} pixels, ${n(kb)} Ko. Elle est enregistrée avec le dossier.`,
			hint: (side) => `Prise avec l’appareil photo ou choisie sur l’appareil, puis réduite ici (au plus ${n(side)} pixels sur son plus grand côté) avant d’être enregistrée.`,
			previewAlt: 'La photo qui sera enregistrée avec le dossier',
			alt: (name) => `Photo de ${name}`,
			notImage: 'Ce fichier n’est pas une photo que cet appareil sait lire. Choisissez une image JPEG, PNG ou WebP.',
			unavailable: 'Cette photo n’est pas sur cet appareil.',
			described: (mediaType, size) => `Photo (${imageFormat(mediaType)}, ${n(Math.ceil(size / 1024))} Ko)`,
			quota:
				'Il ne reste plus d’espace de stockage sur cet appareil pour la photo : rien n’a été enregistré. Tout ce que vous avez saisi est toujours là : libérez de l’espace sur l’appareil (ou exportez et archivez des dossiers plus anciens) et enregistrez à nouveau, ou retirez la photo et enregistrez sans elle.'
		},
		location: {
			locating: 'Localisation : recherche de la position de cet appareil… Vous pouvez enregistrer en attendant.',
			found: (latitude, longitude, accuracy) => `Localisation : ${position(latitude, longitude, accuracy)}. Elle est enregistrée avec le dossier.`,
			denied: 'Localisation : autorisation refusée. Le dossier est enregistré sans localisation. Pour l’enregistrer, autorisez la localisation pour ce site dans les paramètres du navigateur, puis réessayez.',
			unavailable: 'Localisation : pas encore de position (pas de signal ici, ou la recherche a pris trop de temps). Le dossier est enregistré sans localisation ; vous pouvez réessayer.',
			unsupported: 'Localisation : ce navigateur ne peut pas dire où se trouve l’appareil. Le dossier est enregistré sans localisation.',
			retry: 'Rechercher à nouveau la position',
			setting: 'Enregistrer le lieu de chaque inscription et de chaque modification',
			settingHint: 'La position de l’appareil (latitude, longitude et précision) est demandée à l’ouverture d’une inscription ou d’une modification, et enregistrée avec elle. Un refus ou l’absence de signal n’empêche jamais d’enregistrer.',
			title: 'Localisation'
		},
		signature: {
			hint: 'Signez dans le cadre avec le doigt, un stylet ou la souris, ou tapez le nom ci-dessous ; puis appuyez sur « Conserver cette signature ».',
			pad: (label) => `${label} : zone de signature, pas encore signée`,
			padSigned: (label) => `${label} : zone de signature, signature conservée`,
			typedLabel: 'Ou tapez le nom complet pour signer avec',
			signTyped: 'Signer avec le nom tapé',
			typeFirst: 'Tapez d’abord le nom.',
			keep: 'Conserver cette signature',
			clear: 'Effacer',
			empty: 'Rien n’est encore signé : signez dans le cadre ou tapez le nom.',
			kept: 'Signature conservée. Elle est enregistrée avec le formulaire.',
			failed: 'La signature n’a pas pu être conservée sur cet appareil ; réessayez.'
		},
		geopoint: {
			record: 'Enregistrer la position',
			again: 'Enregistrer à nouveau la position',
			clear: 'Retirer la position',
			value: (latitude, longitude, accuracy) => position(latitude, longitude, accuracy),
			none: 'Aucune position enregistrée pour l’instant.',
			found: (latitude, longitude, accuracy) => `Enregistrée : ${position(latitude, longitude, accuracy)}.`,
			denied: 'Autorisation de localisation refusée : autorisez la localisation pour ce site dans les paramètres du navigateur, puis enregistrez à nouveau la position. Le formulaire peut tout de même être enregistré si cette question est facultative.',
			unavailable: 'Pas encore de position (pas de signal ici, ou la recherche a pris trop de temps). Réessayez, à l’extérieur si possible.'
		},
		sexes: { female: 'Féminin', male: 'Masculin', other: 'Autre', unknown: 'Inconnu' },
		userRoles: { administrator: 'Administrateur', supervisor: 'Superviseur', 'case-worker': 'Travailleur social' },
		roles: { head: 'Chef de ménage', spouse: 'Conjoint', child: 'Enfant', other: 'Autre' },
		eventTypes: {
			'create-individual': 'Enregistrement',
			'create-group': 'Ménage créé',
			'update-individual': 'Informations modifiées',
			'update-group': 'Ménage modifié',
			'add-member': 'Membre ajouté',
			'remove-member': 'Membre retiré',
			'delete-entity': 'Suppression',
			'assign-case-worker': 'Travailleur social attribué',
			'describe-user': 'Utilisateur décrit'
		},
		recorders: {
			roles: { administrator: 'administrateur', supervisor: 'superviseur', 'case-worker': 'travailleur social' },
			claimed: (name, role, device) => `${name} (${role}, ${device ? `appareil ${device}` : 'un autre appareil'})`
		},
		home: {
			title: 'Accueil',
			welcome: (name) => `Connecté en tant que ${name}.`,
			counts: 'Sur cet appareil',
			individuals: 'Personnes',
			households: 'Ménages',
			events: 'Événements du journal',
			integrity: 'Intégrité',
			treeSize: 'Taille du journal',
			root: 'Racine actuelle',
			lastVerified: 'Dernière vérification',
			neverVerified: 'Pas encore vérifié sur cet appareil.',
			verifiedOk: (when, size) => `${when} : ${size === 1 ? 'l’unique événement concorde' : p(size, { one: '# événement concorde', other: 'les # événements concordent' })}.`,
			verifiedBad: (when, count) => `${when} : ${p(count, { one: '# événement ne concorde pas', other: '# événements ne concordent pas' })}.`,
			checkNow: 'Vérifier l’intégrité maintenant',
			storage: 'Stockage',
			connection: 'Connexion',
			actions: 'Commencer',
			registerAction: 'Enregistrer une personne',
			householdAction: 'Créer un ménage',
			searchAction: 'Trouver une personne ou un ménage'
		},
		register: {
			title: 'Enregistrer une personne',
			intro: 'Les champs obligatoires doivent être remplis. Tout est enregistré uniquement sur cet appareil.',
			sexPlaceholder: 'Choisir…',
			dobHint: 'Jour, mois et année. L’âge s’affiche dessous une fois la date complète.',
			age: (years) => (years === 0 ? 'Âge : moins d’un an' : `Âge : ${p(years, { one: '# an', other: '# ans' })}`),
			phoneHint: 'Chiffres, espaces et un + au début.',
			submit: 'Enregistrer',
			saved: (name) => `${name} est enregistré(e).`,
			open: 'Ouvrir le dossier',
			another: 'Enregistrer une autre personne',
			invalid: (count) => `${p(count, { one: '# champ doit être corrigé', other: '# champs doivent être corrigés' })} avant tout enregistrement.`,
			checking: 'Recherche des personnes déjà enregistrées…',
			duplicatesTitle: 'Cette personne est peut-être déjà enregistrée',
			duplicatesIntro: 'Comparez avant d’enregistrer : enregistrer deux fois la même personne coupe son historique en deux.',
			hiddenDuplicates: (count) =>
				`${p(count, { one: '# correspondance possible est enregistrée', other: '# correspondances possibles sont enregistrées' })} par un autre travailleur social. Demandez à un superviseur avant d’enregistrer.`,
			openMatch: (name) => `Ouvrir ${name}`,
			registerAnyway: 'C’est une autre personne : enregistrer',
			reasons: {
				'same-name-and-birth': 'Même nom et même date de naissance',
				'similar-name-and-birth': 'Nom proche et même date de naissance',
				'national-id': 'Même numéro d’identité nationale',
				phone: 'Même téléphone'
			}
		},
		households: {
			title: 'Créer un ménage',
			intro: 'Créez d’abord le ménage, puis ajoutez ses membres.',
			submit: 'Créer le ménage',
			created: (name) => `Le ménage ${name} est créé. Ajoutez ses membres ci-dessous.`,
			members: 'Membres',
			memberCount: (count) => p(count, { one: '# membre', other: '# membres' }),
			noMembers: 'Aucun membre pour l’instant.',
			role: 'Rôle',
			rolePlaceholder: 'Choisir…',
			chooseRole: 'Choisissez d’abord le rôle de la personne dans le ménage.',
			remove: 'Retirer',
			removeNamed: (name) => `Retirer ${name}`,
			removeTitle: (name) => `Retirer ${name} du ménage`,
			removeConfirm: 'Retirer le membre',
			removed: (name) => `${name} a été retiré(e) du ménage.`,
			addExisting: 'Ajouter une personne déjà enregistrée',
			searchPeople: 'Chercher par nom ou identifiant',
			searchHint: 'Tapez au moins une lettre ; les résultats s’affichent au fil de la saisie.',
			addAs: (name) => `Ajouter ${name}`,
			alreadyMember: 'Déjà membre',
			added: (name, role) => `${name} a été ajouté(e) comme ${role}.`,
			noResults: 'Personne n’a été trouvé. Enregistrez la personne ci-dessous.',
			registerNew: 'Enregistrer un nouveau membre',
			registerNewIntro: 'L’adresse et le nom de famille sont repris du ménage ; modifiez-les s’ils diffèrent.',
			memberOf: 'Ménages',
			notInHousehold: 'Membre d’aucun ménage.',
			asRole: (role) => `comme ${role}`
		},
		list: {
			title: 'Personnes et ménages',
			search: 'Chercher par nom ou identifiant',
			searchHint: 'Les résultats se mettent à jour au fil de la saisie.',
			type: 'Type',
			allTypes: 'Tous',
			deleted: 'Dossiers supprimés',
			deletedExclude: 'Masquer les supprimés',
			deletedInclude: 'Afficher aussi les supprimés',
			deletedOnly: 'Seulement les supprimés',
			sort: 'Trier par',
			sortName: 'Nom (de A à Z)',
			sortUpdated: 'Dernière modification (la plus récente d’abord)',
			results: (count, more) =>
				more ? (count === 1 ? 'Affichage du premier dossier.' : `Affichage des ${p(count, { one: '# premier dossier', other: '# premiers dossiers' })}.`) : `${p(count, { one: '# dossier trouvé', other: '# dossiers trouvés' })}.`,
			none: 'Aucun dossier ne correspond. Vérifiez l’orthographe ou modifiez les filtres.',
			loadMore: 'Afficher plus',
			lastChange: (when) => `Dernière modification ${when}`,
			name: 'Nom',
			details: 'Détails'
		},
		entity: {
			details: 'Informations',
			deletedNotice: 'Ce dossier est supprimé. Il est conservé avec son historique et ne peut plus être modifié.',
			history: 'Historique et retour dans le temps',
			edit: 'Modifier',
			editTitle: 'Modifier les informations',
			editIntro: 'Seuls les champs que vous modifiez sont enregistrés, avec votre motif.',
			saveChanges: 'Enregistrer les modifications',
			nothingChanged: 'Rien n’a été modifié : chaque valeur est identique à l’actuelle.',
			updated: 'Les modifications sont enregistrées.',
			delete: 'Supprimer',
			deleteTitle: 'Supprimer ce dossier ?',
			deleteIntro: 'Le dossier reste sur l’appareil, marqué supprimé, avec tout son historique. Il ne pourra plus être modifié.',
			deleteConfirm: 'Supprimer le dossier',
			deletedDone: 'Le dossier est marqué supprimé.',
			assign: 'Travailleur social',
			assignTo: 'Attribuer à',
			assignHint: 'L’utilisateur qui suivra ce dossier. Les travailleurs sociaux ne voient que les dossiers qu’ils ont enregistrés ou qui leur sont attribués.',
			assignIdHint: 'L’identifiant du travailleur social qui suivra ce dossier.',
			choosePerson: 'Choisir…',
			userOption: (name, role) => `${name} (${role})`,
			assignSubmit: 'Attribuer',
			assigned: (who) => `Attribué à ${who}.`,
			notAssigned: 'Attribué à aucun travailleur social.',
			currentCaseWorker: (who, when) => `Attribué à ${who} depuis le ${when}.`,
			created: (when) => `Enregistré le ${when}`,
			updatedAt: (when) => `dernière modification le ${when}`,
			version: (count) => events(count),
			id: 'Identifiant'
		},
		history: {
			title: (name) => `Historique de ${name}`,
			back: 'Retour au dossier',
			trail: 'Piste d’audit',
			entry: (type, when) => `${type}, ${when}`,
			who: 'Enregistré par',
			why: 'Motif',
			whoLine: (who) => `Enregistré par : ${who}`,
			whyLine: (reason) => `Motif : ${reason}`,
			noReason: 'Aucun motif donné.',
			field: 'Champ',
			before: 'Avant',
			after: 'Après',
			skipped: (message) => `Non appliqué : ${message}`,
			inspect: 'Examiner l’événement',
			seeAsOf: 'Voir le dossier tel qu’il était après ceci',
			travel: 'Retour dans le temps',
			travelIntro: 'Voyez le dossier tel qu’il était à tout moment. Les champs qui diffèrent d’aujourd’hui sont mis en évidence.',
			instant: 'Date et heure',
			instantHint: 'Dans votre heure locale.',
			instantShown: (when) => `Choisi : ${when}, heure locale.`,
			instantMissing: 'Choisissez d’abord une date et une heure.',
			show: 'Afficher',
			asOfEvent: (when) => `Tel qu’il était juste après la modification du ${when}`,
			asOfInstant: (when) => `Tel qu’il était le ${when}`,
			notYet: 'Le dossier n’existait pas encore à ce moment-là.',
			sameAsToday: 'Rien ne diffère d’aujourd’hui.',
			differs: (count) => `${p(count, { one: '# champ diffère', other: '# champs diffèrent' })} d’aujourd’hui (mis en évidence).`,
			today: 'Aujourd’hui',
			then: 'À ce moment',
			changedMark: 'diffère',
			backToToday: 'Fermer le retour dans le temps'
		},
		log: {
			title: 'Journal des événements',
			intro: 'Toutes les modifications jamais enregistrées sur cet appareil, les plus récentes d’abord. Ouvrez un événement pour vérifier sa preuve.',
			position: 'Position',
			event: 'Événement',
			when: 'Quand',
			who: 'Par',
			record: 'Dossier',
			users: 'Utilisateurs d’un appareil',
			empty: 'Le journal est vide.',
			loadMore: 'Afficher des événements plus anciens'
		},
		inspector: {
			title: 'Examen d’un événement',
			canonical: 'JSON canonique (les octets exacts qui sont hachés)',
			leafIndex: 'Position dans le journal (indice de feuille)',
			leafHash: 'Empreinte de la feuille',
			treeSize: 'Taille du journal',
			root: 'Racine actuelle',
			proof: 'Preuve d’inclusion',
			proofIntro: (count) => `${p(count, { one: '# empreinte mène', other: '# empreintes mènent' })} de cet événement à la racine actuelle.`,
			emptyProof: 'Le journal ne contient que cet événement : l’empreinte de sa feuille est la racine.',
			verify: 'Vérifier dans ce navigateur',
			verifying: 'Vérification…',
			verified: 'Vérifié : cet événement figure dans le journal exactement tel qu’affiché, et la preuve mène à la racine actuelle. Il n’a pas été modifié depuis son enregistrement.',
			leafDiffers: 'Non vérifié : le texte de l’événement ne donne plus l’empreinte de feuille enregistrée avec lui. Il a été modifié après son enregistrement.',
			notVerified: 'Non vérifié : la preuve ne mène pas à la racine actuelle. Le journal a été modifié après l’enregistrement de cet événement. Lancez la vérification d’intégrité.',
			record: 'Ouvrir le dossier',
			sync: 'État de synchronisation',
			syncStatus: { local: 'Enregistré ici, pas encore exporté', exported: 'Enregistré ici et exporté', imported: 'Importé d’un autre appareil' }
		},
		integrity: {
			title: 'Vérification d’intégrité',
			intro: 'Recalcule l’empreinte de chaque événement enregistré et de tout le journal, et les compare à ce qui est stocké. Toute modification des dossiers faite en dehors de Casetrail apparaît ici.',
			run: 'Vérifier tout le journal',
			running: 'Vérification…',
			progress: 'Avancement de la vérification d’intégrité',
			progressText: (done, total) => `${n(done)} sur ${p(total, { one: '# événement vérifié', other: '# événements vérifiés' })}`,
			ok: (size) =>
				size === 1
					? 'Tout concorde : l’unique événement est exactement tel qu’il a été enregistré.'
					: `Tout concorde : ${p(size, { one: '# événement est exactement tel qu’il a été enregistré', other: 'les # événements sont exactement tels qu’ils ont été enregistrés' })}.`,
			bad: (count) => `${p(count, { one: '# événement ne correspond plus', other: '# événements ne correspondent plus' })} à ce qui a été enregistré.`,
			meaning:
				'Cela signifie que quelqu’un ou quelque chose a modifié ou supprimé ces dossiers dans le stockage de l’appareil, en dehors de Casetrail. Casetrail ne modifie jamais un événement enregistré : ces modifications ne viennent donc pas d’un travailleur social utilisant l’application. Ne vous fiez pas à ces dossiers : laissez l’appareil tel quel, n’exportez rien depuis lui et prévenez votre superviseur ou le délégué à la protection des données. Les autres événements concordent toujours et restent fiables.',
			empty: 'Le journal est vide : il n’y a encore rien à vérifier.',
			tamperedTitle: 'Événements qui ne correspondent plus',
			more: (count) => `et ${p(count, { one: '# autre événement', other: '# autres événements' })}.`,
			position: (seq) => `Événement en position ${n(seq)}`,
			problems: 'Ce qui a été trouvé',
			storedRoot: 'Racine stockée',
			computedRoot: 'Racine calculée à partir des événements',
			checkedAt: (when, seconds) => `Vérifié le ${when}, en ${seconds} s.`,
			inspect: 'Examiner',
			record: 'Dossier',
			rebuildTitle: 'Reconstruire les dossiers à partir du journal',
			rebuildIntro:
				'Les dossiers que vous voyez et recherchez (personnes, ménages et leurs listes) sont construits à partir des événements enregistrés. La reconstruction rejoue chaque événement et réécrit chaque dossier qui diffère de ce que disent les événements, par exemple un dossier perdu ou modifié dans le stockage de l’appareil. Les événements enregistrés ne sont jamais modifiés.',
			rebuild: 'Reconstruire les dossiers à partir du journal',
			rebuilding: 'Reconstruction…',
			rebuildProgress: 'Avancement de la reconstruction',
			rebuildProgressText: (done, total) => `${n(done)} sur ${p(total, { one: '# événement rejoué', other: '# événements rejoués' })}`,
			rebuildOk: (eventCount, entities) =>
				`Chaque dossier concordait déjà avec le journal : ${events(eventCount)} rejoué(s) en ${p(entities, { one: '# dossier', other: '# dossiers' })}, rien n’a changé.`,
			rebuildFixed: (changed, eventCount, entities) =>
				`${p(changed, { one: '# ligne stockée différait', other: '# lignes stockées différaient' })} de ce que disent les événements et ${changed === 1 ? 'a été reconstruite' : 'ont été reconstruites'}. ${events(eventCount)} rejoué(s) en ${p(entities, { one: '# dossier', other: '# dossiers' })} ; chaque dossier concorde désormais avec le journal.`,
			rebuiltAt: (when, seconds) => `Reconstruit le ${when}, en ${seconds} s.`
		},
		metrics: {
			title: 'Mesures',
			totalEvents: 'Nombre total d’événements',
			eventsPerSecond: 'Événements par seconde (vitesse du stockage, dernière minute d’ajouts dans cet onglet)',
			averageSize: 'Taille moyenne d’un événement',
			failedEvents: 'Événements refusés (ajouts rejetés)',
			treeDepth: 'Profondeur de l’arbre de Merkle',
			byType: 'Événements par type',
			chartLabel: 'Événements par type, en barres ; les nombres sont à côté de chaque barre.',
			bytes: (size) => p(Math.round(size), { one: '# octet', other: '# octets' }),
			none: 'Aucun événement pour l’instant.'
		}
	},
	xt: {
		nav: 'Échange',
		title: 'Échange',
		intro:
			'Envoyez les dossiers de cet appareil à un superviseur ou à un collègue sous forme de fichier de lot signé, et vérifiez puis importez les lots que vous recevez. Chacun peut vérifier qu’un lot est complet et n’a pas été modifié depuis sa signature.',
		positions: (begin, end) => (end - begin === 1 ? `événement ${n(begin + 1)}` : `événements ${n(begin + 1)} à ${n(end)}`),
		export: {
			title: 'Exporter',
			thisDevice: 'Cet appareil',
			size: (count) => `${events(count)} sur cet appareil.`,
			never: 'Rien n’a encore été exporté depuis cet appareil.',
			last: (days, size) =>
				`Dernier export : ${days === 0 ? 'aujourd’hui' : days === 1 ? 'hier' : `il y a ${p(days, { one: '# jour', other: '# jours' })}`}, jusqu’à l’événement ${n(size)}.`,
			unexported: (count) =>
				count === 0 ? 'Chaque événement de cet appareil figure dans un export.' : `${p(count, { one: '# événement ne figure', other: '# événements ne figurent' })} encore dans aucun export.`,
			what: 'Quoi exporter',
			whole: 'Tout le journal',
			wholeHint: 'Chaque événement de cet appareil. Pour une sauvegarde, ou la première fois que vous envoyez à quelqu’un.',
			since: 'Depuis le dernier export',
			sinceHint: (count) =>
				count === 0
					? 'Rien n’a été ajouté depuis le dernier export : le lot ne contient aucun événement, seulement un nouveau point de contrôle signé.'
					: `${p(count, { one: 'L’événement ajouté', other: 'Les # événements ajoutés' })} depuis le dernier export. Le lot prouve toujours que les événements antérieurs n’ont pas été modifiés.`,
			create: 'Créer le lot',
			creating: 'Création du lot…',
			progress: 'Avancement de l’export',
			progressText: (done, total) => `${n(done)} sur ${events(total)} lus`,
			ready: (count, fileName) => `Lot prêt : ${events(count)} dans ${fileName}.`,
			partial: (remaining) =>
				`Le lot a atteint la taille maximale d’un lot : ${p(remaining, { one: '# événement n’y figure', other: '# événements n’y figurent' })} pas. Exportez à nouveau avec « Depuis le dernier export » pour continuer.`,
			download: 'Télécharger le fichier',
			share: 'Partager le fichier…',
			shareHint: 'Envoie le fichier avec une autre application de cet appareil (messagerie, courriel, Bluetooth).',
			shareFailed: 'Le fichier n’a pas pu être partagé. Téléchargez-le plutôt et envoyez-le comme d’habitude.'
		},
		verify: {
			title: 'Vérifier et importer',
			intro: 'Choisissez un fichier de lot. Il est d’abord vérifié ; rien n’est importé tant que vous n’appuyez pas sur Importer.',
			file: 'Fichier de lot',
			fileHint: 'Un fichier .json créé par Casetrail.',
			checking: 'Vérification du lot…',
			valid: 'Valide : ce lot est complet et n’a pas été modifié depuis sa signature.',
			invalid: 'Ce lot n’est pas fiable et ne peut pas être importé.',
			code: 'Code d’erreur',
			device: 'Signé par l’appareil',
			relation: { own: 'Cet appareil (l’un de ses propres exports)', new: 'Un appareil jamais vu', known: 'Un appareil déjà vu' },
			events: 'Événements',
			entities: 'Personnes et ménages qu’il crée',
			touched: 'Dossiers qu’il modifie',
			range: 'Positions dans le journal de cet appareil',
			rangeValue: (from, to) => (to === from ? 'aucune (un point de contrôle signé seulement)' : (catalog.xt.positions as (begin: number, end: number) => string)(from, to)),
			signedAt: 'Signé',
			root: 'Empreinte racine',
			format: 'Format du lot',
			formatValue: (version) => (version === 1 ? 'version 1 (sans preuves de cohérence)' : `version ${n(version)}`),
			missingProof: (size, issuedAt) =>
				`Ce lot ne prouve pas qu’il prolonge le point de contrôle de ${events(size)} signé par le même appareil le ${issuedAt}. Son import sera refusé ; demandez un nouvel export à cet appareil.`,
			gap: (list) => `Pas encore reçu de cet appareil : ${list}. Ce n’est pas un problème : ce lot peut être importé maintenant et les autres plus tard.`,
			fork: (list) =>
				`Ce lot contredit ce que le même appareil a envoyé auparavant (${list}). Son import sera refusé, et les deux points de contrôle signés conservés comme preuve.`,
			import: 'Importer',
			importing: 'Import…',
			phases: {
				reading: 'Lecture du fichier…',
				verifying: 'Vérification de la signature et des empreintes…',
				checking: 'Comparaison avec ce que cet appareil a envoyé auparavant…',
				importing: 'Ajout des événements à cet appareil…'
			},
			progress: 'Progression de l’import',
			progressSteps: {
				nodes: (done, total) => `Enregistrement de l’historique de l’appareil expéditeur : ${n(done)} empreintes sur ${n(total)}`,
				events: (done, total) => `${n(done)} sur ${events(total)} ajoutés`,
				publishing: (_done, total) => `Finalisation : ${events(total)} ajoutés, en cours de validation`
			},
			imported: (appended, skipped) =>
				`Importé : ${p(appended, { one: '# événement ajouté', other: '# événements ajoutés' })}${skipped > 0 ? `, ${p(skipped, { one: '# événement déjà présent ignoré', other: '# événements déjà présents ignorés' })}` : ''}.`,
			notApplied: (count) =>
				`${p(count, { one: '# événement n’a modifié', other: '# événements n’ont modifié' })} aucun dossier (ils restent dans le journal) ; voir l’historique des dossiers.`,
			refused: 'Non importé. Rien n’a été modifié sur cet appareil.'
		},
		tables: {
			title: 'Tableaux pour une équipe de données',
			intro:
				'Les personnes, ménages, membres et historiques que vous pouvez voir, en tableaux plats avec une colonne par champ de formulaire : fichiers CSV (UTF-8), ou un classeur Excel avec une feuille par tableau. Les mêmes colonnes que l’export du registre du programme.',
			prepare: 'Préparer les tableaux',
			preparing: 'Préparation des tableaux…',
			file: (name, rows) => `${name} (${p(rows, { one: '# ligne', other: '# lignes' })})`,
			workbook: 'Créer un classeur Excel',
			writingWorkbook: 'Écriture du classeur…'
		},
		devices: {
			title: 'Appareils vus',
			none: 'Aucun lot n’a encore été importé.',
			device: (shortId) => `Appareil ${shortId}`,
			id: 'Identifiant de l’appareil',
			firstSeen: 'Premier lot importé',
			lastSeen: 'Dernier lot importé',
			latest: 'Dernier point de contrôle',
			latestValue: (size, issuedAt) => `${events(size)}, signé le ${issuedAt}`,
			received: 'Reçus',
			missing: 'Pas encore reçus',
			nothing: 'rien',
			forks: 'Preuves de divergence',
			forkFound: (when) => `Refusé le ${when} : cet appareil a signé deux historiques qui ne peuvent pas être vrais tous les deux.`,
			seen: 'Point de contrôle importé plus tôt',
			offered: 'Point de contrôle du lot refusé',
			checkpoint: (size, issuedAt) => `${events(size)}, signé le ${issuedAt}`,
			jws: 'Point de contrôle signé (JWS)'
		},
		settings: {
			title: 'Cet appareil',
			intro: 'Chaque événement enregistré ici et chaque lot exporté d’ici porte cet identifiant. Sa clé ne quitte jamais l’appareil.',
			id: 'Identifiant de l’appareil',
			short: 'Identifiant court (dans les noms de fichiers)',
			created: 'Clé créée',
			loading: 'Chargement…'
		},
		reasons: {
			malformed: 'Le fichier n’est pas un lot Casetrail lisible.',
			'unsupported-format': 'Le fichier est un lot d’un type que cette version de Casetrail ne sait pas lire.',
			'bad-signature': 'La signature ne correspond pas : le lot a été modifié après sa signature, ou il n’a pas été signé par un appareil Casetrail.',
			'device-mismatch': 'Le lot prétend venir d’un appareil qui ne l’a pas signé.',
			'size-mismatch': 'Des événements ont été ajoutés au lot ou retirés après sa signature.',
			'invalid-event': 'Un événement du lot n’est pas un événement Casetrail valide.',
			'duplicate-event': 'Le même événement figure deux fois dans le lot.',
			'root-mismatch': 'Les événements ont été modifiés après la signature du lot.',
			'fork-detected': 'L’appareil émetteur a modifié ou supprimé des événements qu’il avait déjà envoyés.',
			'limit-exceeded': 'Le lot dépasse ce que cet appareil accepte (événements par lot, octets par événement ou membres par ménage).',
			'profile-invalid': 'Le lot décrit un utilisateur avec autre chose qu’un nom et un rôle, ou avec un nom que cet appareil n’accepte pas.',
			'bad-consistency-proof': 'Une preuve que le lot prolonge les points de contrôle antérieurs de son appareil ne tient pas : le lot a été endommagé ou altéré.',
			'missing-consistency-proof': 'Le lot ne prouve pas qu’il prolonge ce que le même appareil a envoyé auparavant.',
			'history-inconsistent': 'Le journal de cet appareil ne prolonge plus un point de contrôle qu’il a signé : son stockage a été modifié.',
			'event-conflict': 'Un événement de ce lot est déjà sur cet appareil avec un autre contenu.',
			'attachment-mismatch': 'Une photo ou une signature du lot n’est pas celle que nomme son dossier : elle a été modifiée après son enregistrement.',
			'attachment-missing': 'Un dossier du lot a une photo ou une signature que le lot ne contient pas.',
			'import-running': 'Un autre lot est en cours d’import sur cet appareil (dans cet onglet ou un autre).'
		}
	},
	ft: {
		nav: 'Formulaires',
		title: 'Formulaires',
		intro: 'Les questionnaires de votre programme. Les enregistrements et les suivis se font avec les versions publiées ici, et chaque dossier garde la version avec laquelle il a été enregistré.',
		purposes: {
			'register-individual': 'Enregistre une personne',
			'register-group': 'Enregistre un ménage',
			'update-individual': 'Met à jour une personne',
			'update-group': 'Met à jour un ménage',
			'event-visit-recorded': 'Consigne une visite',
			'event-assistance-provided': 'Consigne une assistance fournie'
		},
		list: {
			title: 'Formulaires publiés',
			none: 'Aucun formulaire n’est encore publié sur cet appareil : l’enregistrement utilise les formulaires par défaut, intégrés à l’application.',
			builtIn: 'Intégré à l’application',
			form: 'Formulaire',
			version: 'Version',
			does: 'Ce qu’il fait',
			published: 'Publié',
			open: (title) => `Remplir ${title}`
		},
		import: {
			title: 'Importer un XForm',
			intro: 'Convertissez le XLSForm en XForm (.xml) avec ODK Central, KoboToolbox ou pyxform, puis choisissez le fichier ici. Rien n’est publié avant votre confirmation.',
			file: 'Fichier XForm (.xml)',
			reading: 'Lecture du formulaire…',
			refused: 'Ce formulaire ne peut pas être publié',
			where: 'Où',
			what: 'Quoi',
			understood: (title) => `Compris : ${title}`,
			id: 'Identifiant du formulaire',
			version: 'Version',
			languages: 'Langues',
			noTranslations: 'Une seule langue (pas de traduction)',
			questions: 'Questions',
			question: 'Question',
			name: 'Nom',
			type: 'Type',
			savesTo: 'Enregistre dans',
			rules: 'Règles',
			required: 'obligatoire',
			constraint: 'contrainte',
			relevant: 'posée si',
			calculated: 'calculée',
			repeated: 'posée pour chaque occurrence d’une répétition',
			purpose: 'Ce que fait une soumission',
			purposeFixed: 'D’après la déclaration d’entités du formulaire.',
			purposeHint: 'Ce formulaire n’a pas de déclaration d’entités : choisissez ce que fait une soumission.',
			publish: 'Publier cette version',
			publishing: 'Publication…',
			published: (title, version) => `${title} version ${version} est publié. Il parviendra aux autres appareils avec le prochain lot.`,
			cancel: 'Choisir un autre fichier'
		},
		fill: {
			language: 'Langue',
			submit: 'Enregistrer',
			saving: 'Enregistrement…',
			required: 'obligatoire',
			optional: 'facultatif',
			problems: (count) => (count === 1 ? 'Une réponse demande votre attention.' : `${n(count)} réponses demandent votre attention.`),
			cannotCompute: (why) => `Ce formulaire ne peut pas être rempli sur cet appareil : ${why} Demandez une version corrigée à qui l’a publié.`,
			saved: 'Enregistré.',
			openRecord: 'Ouvrir le dossier',
			notFound: 'Cette version du formulaire n’est pas sur cet appareil. Importez le lot qui la publie.',
			forRecord: (name) => `Pour : ${name}`,
			instance: (title, index) => `${title} ${n(index)}`,
			add: (title) => `Ajouter à ${title}`,
			remove: (title, index) => `Retirer ${title} ${n(index)}`,
			version: (v) => `Version ${v}`,
			changedMeanwhile: 'Les réponses ont changé pendant leur vérification : rien n’a été enregistré. Vérifiez-les et enregistrez à nouveau.'
		},
		record: {
			followUps: 'Formulaires de suivi',
			flagged: 'Ce dossier ne satisfait pas son formulaire',
			flaggedIntro: (form, version) => `Il a été enregistré sur un autre appareil ; le formulaire ${form} version ${version} n’accepte pas ces réponses :`
		},
		history: {
			form: (title, version) => `Enregistré avec ${title}, version ${version}`,
			recorded: 'Réponses enregistrées',
			answer: 'Réponse'
		},
		register: {
			title: 'Enregistrer',
			intro: 'Les formulaires d’enregistrement de votre programme, la dernière version de chacun. Tout est enregistré uniquement sur cet appareil.',
			choose: 'Formulaire d’enregistrement',
			loading: 'Lecture des formulaires d’enregistrement de cet appareil…',
			form: (title, version) => `Formulaire : ${title}, version ${version}`
		},
		types: {
			text: 'Texte',
			integer: 'Nombre entier',
			decimal: 'Nombre',
			date: 'Date',
			'select-one': 'Un seul choix',
			'select-multiple': 'Plusieurs choix',
			note: 'Note',
			calculate: 'Calcul',
			image: 'Photo ou signature',
			geopoint: 'Position'
		},
		answers: {
			required: 'Cette question demande une réponse.',
			choice: 'Choisissez parmi les options proposées.',
			constraint: 'Le formulaire n’accepte pas cette réponse.',
			integer: 'Écrivez un nombre entier.',
			decimal: 'Écrivez un nombre.',
			date: 'Écrivez une date réelle, AAAA-MM-JJ.',
			image: 'Prenez ou choisissez l’image à nouveau.',
			geopoint: 'Enregistrez à nouveau la position.',
			tooLong: 'Cette réponse est trop longue.'
		}
	},
	ut: {
		nav: { users: 'Utilisateurs' },
		invalid: (count) => (count === 1 ? 'Un champ doit être modifié : voyez le message à côté.' : `${n(count)} champs doivent être modifiés : voyez les messages à côté.`),
		nameMissing: 'Saisissez un nom.',
		roleMissing: 'Choisissez un rôle.',
		roles: { administrator: 'Administrateur', supervisor: 'Superviseur', 'case-worker': 'Travailleur social' },
		rolePhrases: { administrator: 'administrateur', supervisor: 'superviseur', 'case-worker': 'travailleur social' },
		roleHints: {
			administrator: 'Voit et modifie tous les dossiers, exporte et importe, et gère les utilisateurs.',
			supervisor: 'Voit et modifie tous les dossiers, les attribue, exporte et importe.',
			'case-worker': 'Enregistre des personnes et ne voit que les dossiers qu’il a enregistrés ou qui lui sont attribués.'
		},
		kinds: { passphrase: 'Phrase secrète', pin: 'Code PIN' },
		secret: {
			repeat: (kind) => (kind === 'pin' ? 'Code PIN à nouveau' : 'Phrase secrète à nouveau'),
			passphraseHint: (min) => `Au moins ${p(min, { one: '# caractère', other: '# caractères' })}. Plusieurs mots sans rapport sont faciles à retenir et difficiles à deviner.`,
			pinHint: (min) => `Uniquement des chiffres, au moins ${n(min)}.`,
			mismatch: 'Les deux saisies ne sont pas identiques. Saisissez-les à nouveau.',
			strengthLabel: 'Robustesse :',
			strength: {
				'too-short': (missing) => `trop courte : encore ${p(missing, { one: '# caractère', other: '# caractères' })}.`,
				weak: () => 'faible : facile à deviner. Utilisez plusieurs mots sans rapport.',
				fair: () => 'correcte. Quelques mots de plus la rendent bien plus robuste.',
				strong: () => 'robuste.'
			}
		},
		session: {
			label: 'Connecté',
			who: (name, role) => `${name} · ${role}`,
			signOut: 'Se déconnecter',
			signingOut: 'Déconnexion…',
			signOutHint: 'Verrouille les dossiers de cet appareil jusqu’à la prochaine connexion.'
		},
		setup: {
			title: 'Configurer cet appareil',
			intro: 'Casetrail garde ses dossiers uniquement sur cet appareil. Créez d’abord l’administrateur : la personne qui ajoute les autres utilisateurs.',
			name: 'Votre nom',
			nameHint: 'Affiché sur l’écran de connexion et sur chaque dossier que vous modifiez.',
			passphrase: 'Phrase secrète',
			lossTitle: 'Avant de commencer : une phrase secrète perdue ne peut pas être récupérée',
			loss:
				'Tout ce qui est sur cet appareil est chiffré avec votre phrase secrète et avec celles des utilisateurs que vous ajoutez. Personne, ni un administrateur ni les auteurs de Casetrail, ne peut ouvrir les dossiers si toutes les phrases secrètes et tous les codes PIN sont perdus, ou si l’appareil est perdu ou cassé.',
			backup: 'La sauvegarde, c’est l’export : une fois l’appareil configuré, exportez régulièrement un lot depuis la page Échange et conservez-le en lieu sûr.',
			understand: 'Je comprends que les dossiers ne peuvent pas être récupérés sans phrase secrète, et que les exports sont la sauvegarde.',
			understandMissing: 'Cochez cette case pour confirmer que vous avez lu l’avertissement ci-dessus.',
			submit: 'Configurer cet appareil',
			working: 'Configuration… (quelques secondes)',
			done: 'Cet appareil est configuré. Vous êtes connecté.'
		},
		signIn: {
			title: 'Connexion',
			intro: 'Choisissez qui vous êtes, puis saisissez votre phrase secrète ou votre code PIN.',
			who: 'Qui êtes-vous ?',
			none: 'Personne ne peut encore se connecter sur cet appareil.',
			chooseMissing: 'Choisissez qui vous êtes.',
			secretMissing: (kind) => (kind === 'pin' ? 'Saisissez votre code PIN.' : 'Saisissez votre phrase secrète.'),
			submit: 'Se connecter',
			working: 'Connexion… (quelques secondes)',
			wrong: (kind) =>
				kind === 'pin'
					? 'Ce code PIN n’est pas le bon. Après quelques codes erronés, il faut attendre avant l’essai suivant.'
					: 'Cette phrase secrète n’est pas la bonne. Vérifiez le verrouillage des majuscules et la langue du clavier, puis réessayez.',
			wait: (seconds) => `Trop de codes PIN erronés. Réessayez dans ${p(seconds, { one: '# seconde', other: '# secondes' })}.`,
			waitLeft: (seconds) => `Secondes restantes : ${n(seconds)}`,
			waitOver: 'Vous pouvez réessayer maintenant.',
			locked: 'Verrouillé après 15 minutes sans utilisation. Reconnectez-vous pour continuer.',
			forgot: 'Oublié ? Un administrateur peut vous définir une nouvelle phrase secrète ou un nouveau code PIN sur la page Utilisateurs.'
		},
		users: {
			title: 'Utilisateurs',
			intro: 'Les personnes qui utilisent cet appareil, et ce que chacune peut faire. Chaque modification d’un dossier nomme la personne qui l’a faite.',
			forbidden: 'Seul un administrateur gère les utilisateurs. Vous pouvez changer votre propre phrase secrète.',
			listTitle: 'Personnes sur cet appareil',
			name: 'Nom',
			role: 'Rôle',
			signsInWith: 'Se connecte avec',
			actions: 'Actions',
			you: '(vous)',
			forUser: (action, name) => `${action} : ${name}`,
			changeRole: 'Changer de rôle',
			changeRoleOf: (name) => `Changer le rôle de ${name}`,
			saveRole: 'Enregistrer le rôle',
			roleSaved: (name, role) => `${name} est désormais ${role}.`,
			reset: 'Nouvelle phrase secrète',
			resetOf: (name) => `Nouvelle phrase secrète pour ${name}`,
			resetIntro: (name) => `${name} se connecte désormais avec celle-ci ; l’ancienne ne fonctionne plus. Communiquez-la en personne.`,
			resetSave: 'Enregistrer le nouveau secret',
			resetDone: (name) => `${name} a une nouvelle phrase secrète.`,
			remove: 'Retirer',
			removeOf: (name) => `Retirer ${name}`,
			removeIntro: (name) =>
				`${name} ne pourra plus se connecter sur cet appareil. Les dossiers qu’il ou elle a modifiés gardent son nom dans l’historique. Il reste toujours un administrateur.`,
			removeConfirm: 'Retirer l’utilisateur',
			removed: (name) => `${name} a été retiré(e) de cet appareil.`,
			roleSavedRotated: (name, role, rows) =>
				`${name} est désormais ${role}. La clé de l’appareil a été changée : ${p(rows, { one: '# élément stocké a été chiffré', other: '# éléments stockés ont été chiffrés' })} à nouveau.`,
			removedRotated: (name, rows) =>
				`${name} a été retiré(e) de cet appareil. La clé de l’appareil a été changée : ${p(rows, { one: '# élément stocké a été chiffré', other: '# éléments stockés ont été chiffrés' })} à nouveau, si bien qu’une copie de la phrase secrète de ${name} n’ouvre plus ce qui est stocké ici.`,
			rotationWaits: (names) =>
				`La clé de l’appareil n’est pas encore changée : elle attend que ${names.join(', ')} ${names.length === 1 ? 'se soit connecté(e)' : 'se soient connecté(e)s'} une fois depuis la mise à jour, ou que vous ${names.length === 1 ? 'lui' : 'leur'} définissiez une nouvelle phrase secrète. D’ici là, quelqu’un qui aurait gardé une copie de cet appareil et la phrase secrète retirée pourrait encore la lire en dehors de Casetrail.`,
			rotationLabel: 'Changement de la clé de l’appareil',
			rotationCount: (done, total) => `${n(done)} sur ${p(total, { one: '# élément stocké chiffré', other: '# éléments stockés chiffrés' })} à nouveau.`,
			ownRow: 'Changez la vôtre sur la page Votre phrase secrète.',
			addTitle: 'Ajouter un utilisateur',
			addName: 'Nom',
			addNameHint: 'Tel qu’il doit apparaître sur l’écran de connexion.',
			addRole: 'Rôle',
			rolePlaceholder: 'Choisir un rôle',
			addSecret: (kind) => (kind === 'pin' ? 'Code PIN' : 'Phrase secrète'),
			addSubmit: 'Ajouter l’utilisateur',
			adding: 'Ajout… (quelques secondes)',
			added: (name, role) => `${name} a été ajouté(e) comme ${role}. Il ou elle peut se connecter maintenant.`,
			cancel: 'Annuler',
			saving: 'Enregistrement… (quelques secondes)'
		},
		me: {
			title: 'Votre phrase secrète',
			intro: (name, role) => `Vous êtes connecté en tant que ${name}, ${role}.`,
			current: 'Phrase secrète actuelle',
			currentMissing: 'Saisissez votre phrase secrète actuelle.',
			wrongCurrent: 'Ce n’est pas votre phrase secrète actuelle.',
			newSecret: (kind) => (kind === 'pin' ? 'Nouveau code PIN' : 'Nouvelle phrase secrète'),
			submit: 'Changer',
			done: 'Changé. Utilisez le nouveau secret à votre prochaine connexion.',
			manage: 'Gérer les utilisateurs',
			quickTitle: 'Déverrouillage rapide par code PIN',
			quickIntro: (hours) =>
				`Quand cet onglet se verrouille après 15 minutes sans utilisation, votre code PIN le déverrouille, jusqu’à ${p(hours, { one: '# heure', other: '# heures' })} après votre connexion avec votre phrase secrète. Le code PIN n’est gardé que dans la mémoire de cet onglet, jamais stocké : recharger la page, un autre onglet ou une déconnexion demande votre phrase secrète.`,
			quickPin: 'Code PIN',
			quickSubmit: 'Définir le code PIN',
			quickDone: 'Code PIN défini. Il déverrouille cet onglet jusqu’à votre déconnexion ou la fin du délai.'
		},
		settings: {
			title: 'Votre profil',
			signedOut: 'Connectez-vous pour voir l’identité de cet appareil et changer votre phrase secrète.',
			change: 'Changer votre phrase secrète ou définir un code PIN'
		}
	},
	pt: {
		update: {
			available: 'Nouvelle version disponible.',
			keepsData: 'Vos dossiers restent sur cet appareil.',
			reload: 'Recharger pour mettre à jour',
			later: 'Plus tard',
			activated: 'Une nouvelle version a été activée dans un autre onglet. Rechargez cette page pour l’utiliser.',
			reloadPage: 'Recharger',
			unsaved: 'Un formulaire de cette page contient une saisie pas encore enregistrée. Recharger maintenant la perd.',
			keepEditing: 'Continuer la saisie',
			discard: 'Abandonner et recharger',
			reloading: 'Mise à jour…'
		},
		install: {
			button: 'Installer Casetrail',
			installed: 'Casetrail est installé sur cet appareil.',
			dismissed: 'Non installé. Vous pouvez l’installer d’ici à tout moment.',
			accepted: 'Installation…',
			appleHelp: 'Pour installer sur iPhone ou iPad : ouvrez Casetrail dans Safari, touchez Partager (le carré avec une flèche), puis « Sur l’écran d’accueil ».',
			otherHelp:
				'Ce navigateur ne propose pas de bouton d’installation ici. Dans Chrome ou Edge, ouvrez le menu du navigateur et choisissez « Installer Casetrail » (sur Android : « Ajouter à l’écran d’accueil »). Dans les autres navigateurs, Casetrail fonctionne de la même façon dans un onglet.'
		},
		offline: {
			ready: 'Prêt à fonctionner sans réseau : l’application est stockée sur cet appareil.',
			preparing: 'Préparation de l’utilisation hors ligne…',
			unavailable: 'L’utilisation hors ligne n’est pas disponible dans ce navigateur ou dans une version de développement.',
			failed: 'L’utilisation hors ligne n’a pas pu être préparée :',
			checkUpdates: 'Rechercher des mises à jour',
			found: 'Une nouvelle version est en cours de téléchargement ; il vous sera demandé de recharger.',
			latest: 'C’est la dernière version.',
			checkOffline: 'Pas de connexion au serveur : impossible de rechercher des mises à jour maintenant.',
			version: 'Version'
		},
		storage: {
			persisted: 'Protégé : le navigateur ne supprimera pas les données de Casetrail pour libérer de l’espace.',
			notPersisted:
				'Non protégé : le navigateur peut supprimer les données de Casetrail quand l’appareil manque d’espace. Installer l’application et exporter régulièrement les mettent à l’abri.',
			unknown: 'Ce navigateur ne peut pas dire s’il conserve les données de Casetrail.',
			unsupported: 'Ce navigateur n’indique pas l’espace de stockage utilisé.',
			ask: 'Demander au navigateur de conserver les données',
			denied: 'Le navigateur a refusé pour l’instant. Il accepte en général une fois l’application installée ou souvent utilisée.',
			usage: (used, quota, percent) => `${used} utilisés sur ${quota} (${n(percent)} %)`,
			usageLabel: 'Stockage utilisé',
			perEvent: (perEvent: string, times: string, eventBytes: string) =>
				`Soit ${perEvent} par événement enregistré : ${times} fois les ${eventBytes} que contiennent les événements eux-mêmes (environ la taille d’un export de tous).`,
			unexported: (count) => `${p(count, { one: '# événement n’est', other: '# événements ne sont' })} pas encore exporté${count >= 2 ? 's' : ''}.`,
			lastExport: (days) => (days === 0 ? 'Dernier export : aujourd’hui.' : days === 1 ? 'Dernier export : hier.' : `Dernier export : il y a ${p(days, { one: '# jour', other: '# jours' })}.`),
			neverExported: 'Aucun export n’a encore été fait sur cet appareil.',
			quotaNear: (percent) =>
				`Le stockage est plein à ${n(percent)} %. Exportez vos dossiers maintenant et libérez de l’espace sur l’appareil : les nouveaux dossiers risquent de ne pas s’enregistrer quand il sera plein.`,
			quotaNearPhotos: (percent, photos) =>
				`Le stockage est plein à ${n(percent)} %, dont ${photos} de photos et de signatures. Exportez vos dossiers maintenant (les photos voyagent dans le lot) et libérez de l’espace sur l’appareil : les nouveaux dossiers et les photos risquent de ne pas s’enregistrer quand il sera plein.`,
			attachments: (count, bytes) =>
				count === 0
					? 'Aucune photo ni signature n’est stockée sur cet appareil.'
					: `Photos et signatures : ${n(count)} sur cet appareil, ${bytes} (chiffrées comme les dossiers).`,
			exportOverdue: (days) =>
				`${days === null ? 'Rien n’a encore été exporté' : `Aucun export depuis ${p(days, { one: '# jour', other: '# jours' })}`}. Exportez maintenant : les dossiers qui n’existent que sur cet appareil sont perdus si l’appareil est perdu ou si le navigateur vide son stockage (Safari le fait après 7 jours sans utilisation, sauf si Casetrail est sur l’écran d’accueil).`
		},
		settings: {
			title: 'Paramètres',
			install: 'Installation et utilisation hors ligne',
			storage: 'Stockage sur cet appareil'
		}
	},
	et: {
		codes: {
			'invalid-event': 'L’événement n’est pas valide : il n’a pas été enregistré.',
			'validation-failed': 'Certains champs doivent être corrigés ; rien n’a été enregistré.',
			'unknown-command': 'Cette action n’est pas connue de cette version de Casetrail.',
			malformed: 'Ce fichier n’est pas un lot Casetrail, ou il est endommagé.',
			'unsupported-format': 'Ce lot a été créé par une version plus récente de Casetrail. Mettez l’application à jour, puis réessayez.',
			'bad-signature': 'La signature du lot ne correspond pas à son contenu : il a été modifié après sa signature. Ne l’importez pas.',
			'device-mismatch': 'Le lot nomme un autre appareil que celui qui l’a signé. Ne l’importez pas.',
			'size-mismatch': 'Le lot ne contient pas le nombre d’événements annoncé. Ne l’importez pas.',
			'duplicate-event': 'Le lot contient deux fois le même événement. Ne l’importez pas.',
			'root-mismatch': 'Les événements du lot ne correspondent pas à sa racine signée : ils ont été modifiés. Ne l’importez pas.',
			'bad-consistency-proof': 'La preuve que le lot prolonge l’historique antérieur de son appareil est fausse. Ne l’importez pas.',
			'missing-consistency-proof': 'Le lot ne prouve pas qu’il prolonge ce que son appareil a envoyé auparavant. Demandez un nouvel export à cet appareil.',
			'attachment-missing': 'Un événement renvoie à une photo ou à une signature qui n’est ni fournie ni stockée sur cet appareil : rien n’a été enregistré.',
			'import-running': 'Un lot est en cours d’import sur cet appareil (dans cet onglet ou un autre) : rien n’a été enregistré. Réessayez quand l’import est terminé.',
			'attachment-mismatch': 'Une photo ou une signature ne correspond pas à ce qu’en dit son dossier (empreinte ou taille) : elle a été modifiée. Rien n’a été enregistré.',
			'fork-detected': 'L’appareil qui a signé ce lot a réécrit un historique qu’il avait déjà envoyé. Le lot est refusé et les deux points de contrôle signés sont conservés comme preuve.',
			'limit-exceeded': 'Le lot dépasse ce que cet appareil accepte : rien n’a été importé.',
			'profile-invalid': 'La description d’un utilisateur dans le lot n’est pas valide.',
			'history-inconsistent': 'Le journal ne prolonge plus les points de contrôle signés par cet appareil. Lancez la vérification d’intégrité.',
			'integrity-failed': 'La vérification d’intégrité a trouvé des dossiers qui ne correspondent plus au journal.',
			'event-conflict': 'Une autre modification a été enregistrée au même moment. Rechargez la page, puis réessayez.',
			'not-found': 'Ceci n’est pas sur cet appareil.',
			'out-of-range': 'Cette position n’est pas dans le journal.',
			'quota-exceeded': 'L’appareil n’a plus d’espace de stockage : rien n’a été enregistré. Libérez de l’espace, puis réessayez.',
			'storage-failed': 'Le stockage de l’appareil n’a pas pu terminer l’opération. Rien n’a été modifié ; réessayez, et rechargez la page si l’échec persiste.',
			'schema-outdated': 'Une version plus récente de Casetrail est ouverte dans un autre onglet. Rechargez cette page.',
			'decryption-failed': 'Ce qui est stocké sur cet appareil n’a pas pu être déchiffré.',
			'not-signed-in': 'Connectez-vous d’abord.',
			forbidden: 'Votre rôle ne permet pas cette action.',
			'wrong-passphrase': 'Cette phrase secrète ou ce code PIN n’est pas le bon.',
			'rate-limited': 'Trop d’essais erronés : attendez avant de réessayer.',
			'already-set-up': 'Cet appareil est déjà configuré.',
			'profile-revoked': 'Cet utilisateur n’est plus sur cet appareil.',
			'passphrase-required': 'Connectez-vous avec votre phrase secrète.',
			'form-malformed': 'Ce fichier n’est pas un XForm, ou il est endommagé.',
			'form-unsupported': 'Ce formulaire utilise quelque chose que Casetrail ne prend pas en charge.',
			'form-invalid': 'La définition de ce formulaire n’est pas valide.',
			'form-not-found': 'Cette version du formulaire n’est pas sur cet appareil.',
			'form-version-exists': 'Cette version du formulaire est déjà publiée avec un autre contenu. Augmentez la version.',
			'form-evaluation-failed': 'Ce formulaire ne peut pas être calculé sur cet appareil. Demandez une version corrigée à qui l’a publié.',
			'submission-invalid': 'Certaines réponses ne satisfont pas le formulaire ; rien n’a été enregistré.'
		},
		problems: {
			required: (field) => `${field} : ce champ est obligatoire.`,
			notText: (field) => `${field} : ce champ doit être du texte.`,
			tooLong: (field, max) => `${field} : au plus ${p(max, { one: '# caractère', other: '# caractères' })}.`,
			invalid: (field) => `${field} : la valeur n’a pas la forme attendue.`,
			unknownField: (field) => `${field} n’est pas un champ de ce dossier.`,
			refused: (field) => `${field} : cette valeur ne peut pas être acceptée telle quelle.`
		},
		integrity: {
			'leaf-mismatch': 'L’événement ne donne plus l’empreinte de feuille enregistrée avec lui.',
			'field-mismatch': 'Une copie conservée à côté de l’événement diffère de l’événement lui-même.',
			unreadable: 'L’événement n’est plus lisible.',
			missing: 'L’événement manque dans le journal.',
			'beyond-head': 'Des événements sont stockés au-delà de la fin du journal.',
			'node-mismatch': 'Un nœud stocké de l’arbre de Merkle diffère de celui calculé à partir des événements.',
			'head-mismatch': 'La tête stockée du journal diffère de celle calculée à partir des événements.',
			'head-unauthenticated': 'La tête stockée du journal n’a pas été écrite avec la clé de cet appareil.',
			'checkpoint-missing': 'Des points de contrôle signés par cet appareil ont été supprimés.',
			'checkpoint-beyond-log': 'Un point de contrôle signé par cet appareil dépasse le journal : des événements ont été supprimés.',
			'checkpoint-inconsistent': 'Le journal ne prolonge plus un point de contrôle signé par cet appareil.',
			'checkpoint-invalid': 'Un point de contrôle stocké n’a pas été signé par cet appareil.',
			'record-mismatch': 'Un dossier stocké diffère de ce que disent ses événements.',
			'attachment-mismatch': 'Une photo ou une signature stockée diffère de celle que son événement a enregistrée.',
			'attachment-missing': 'Une photo ou une signature enregistrée par un événement manque sur l’appareil.'
		},
		skips: {
			'invalid-event': 'Il manque à l’événement un élément obligatoire, ou l’un d’eux est du mauvais type.',
			'wrong-entity': 'L’événement appartient à un autre dossier.',
			'version-unsupported': 'L’événement a été écrit dans une version du schéma que cette version de l’application ne sait pas lire.',
			'no-applier': 'Cette version ne connaît pas ce type d’événement ; l’événement est conservé dans le journal.',
			'entity-exists': 'L’événement crée un dossier qui existe déjà.',
			'entity-missing': 'L’événement modifie un dossier qui n’existe pas encore.',
			'type-mismatch': 'Le type d’événement ne correspond pas au type du dossier.',
			'invalid-data': 'Il manque aux données de l’événement un champ nécessaire, ou l’un d’eux est du mauvais type.',
			'not-a-member': 'Le membre à retirer ne fait pas partie du ménage.',
			'already-deleted': 'Le dossier est déjà supprimé.',
			'duplicate-event': 'Le même événement a déjà été appliqué.',
			'applier-failed': 'L’application de l’événement a échoué ; le dossier est resté tel quel.'
		},
		expects: {
			sex: 'Le sexe doit être l’un des choix proposés.',
			dateOfBirth: 'La date de naissance doit être une date réelle, pas dans le futur, il y a au plus 150 ans.',
			phone: 'Le téléphone ne peut contenir que des chiffres, des espaces et un + au début, entre 6 et 15 chiffres.',
			nationalId: 'Le numéro d’identité nationale ne peut contenir que des lettres, des chiffres, des espaces, des points, des barres obliques et des traits d’union.',
			photo: 'La photo doit être une image JPEG, WebP ou PNG prise ou choisie sur cet appareil.',
			attachment: 'Une photo ou une signature doit être une image JPEG, WebP ou PNG prise ou choisie sur cet appareil.',
			location: 'La position doit avoir une latitude entre -90 et 90, une longitude entre -180 et 180 et une précision en mètres.'
		}
	}
};

export default catalog;

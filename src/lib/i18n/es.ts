/**
 * Español. Every text of the interface, in the shape of the English modules (src/lib/ui/*-messages.ts):
 * the compiler refuses a missing or extra text, and tests/unit/i18n/catalogs.test.ts one left in English.
 */
import type { Catalog } from './catalog';
import { formatCoordinate, formatNumber } from './format';
import { pluralIn } from './plural';

const p = pluralIn('es');
const n = (x: number) => formatNumber(x, 'es');
const deg = (x: number) => formatCoordinate(x, 'es');
/** A position: "latitud 12,65000, longitud -8,00000 (con un margen de 25 m)" (a comma separates decimals in Spanish). */
const position = (latitude: number, longitude: number, accuracy: number | undefined) =>
	`latitud ${deg(latitude)}, longitud ${deg(longitude)}${accuracy === undefined ? '' : ` (con un margen de ${n(accuracy)} m)`}`;
/** An image's format as people name it: "JPEG", "PNG", "WEBP". */
const imageFormat = (mediaType: string) => `${mediaType}`.replace('image/', '').toUpperCase();
const events = (x: number) => p(x, { one: '# evento', other: '# eventos' });

const catalog: Catalog = {
	t: {
		app: {
			name: 'Casetrail',
			tagline: 'Registro de casos sin conexión con una pista de auditoría a prueba de manipulaciones',
			skip: 'Ir al contenido principal',
			nav: 'Principal',
			online: 'En línea',
			offline: 'Sin conexión: todo sigue funcionando y se guarda en este dispositivo',
			title: (page) => `${page} – Casetrail`
		},
		nav: {
			home: 'Inicio',
			entities: 'Personas y hogares',
			register: 'Registrar',
			households: 'Nuevo hogar',
			log: 'Registro de eventos',
			integrity: 'Integridad',
			metrics: 'Métricas',
			settings: 'Ajustes'
		},
		language: {
			label: 'Idioma',
			hint: 'El idioma de la interfaz, que este dispositivo recuerda para usted.'
		},
		common: {
			loading: 'Cargando…',
			saving: 'Guardando…',
			cancel: 'Cancelar',
			required: '(obligatorio)',
			optional: '(opcional)',
			reason: 'Motivo',
			reasonHint: 'Por qué se hace este cambio; queda en el historial para siempre.',
			errorTitle: 'No se pudo completar',
			retry: 'Reintentar',
			notFound: 'Este expediente no está en este dispositivo.',
			cannotOpen: 'Este expediente no se puede abrir',
			yes: 'Sí',
			no: 'No',
			none: '—',
			deleted: 'Eliminado',
			individual: 'Persona',
			group: 'Hogar',
			unnamed: '(sin nombre)',
			notVisible: 'No visible para usted',
			by: (user) => `por ${user}`,
			refreshed: 'Actualizado con los cambios de otra pestaña.'
		},
		errors: {
			signIn: 'Iniciar sesión',
			action: {
				'not-signed-in': 'Inicie sesión y vuelva a abrir esta página.',
				'validation-failed': 'Corrija los campos señalados abajo y vuelva a guardar.',
				'not-found': 'Vuelva a la lista y busque de nuevo.'
			}
		},
		fields: {
			givenName: 'Nombre',
			familyName: 'Apellidos',
			sex: 'Sexo',
			dateOfBirth: 'Fecha de nacimiento',
			phone: 'Teléfono',
			nationalId: 'Documento nacional de identidad',
			address: 'Localidad o dirección',
			notes: 'Observaciones',
			photo: 'Foto',
			name: 'Nombre del hogar',
			deleted: 'Eliminado',
			caseWorker: 'Gestor de casos',
			assignmentDate: 'Asignado el',
			member: (name) => `Miembro: ${name}`
		},
		photo: {
			settingTitle: 'Fotos',
			setting: 'Lado más largo de las fotos que guarda este dispositivo',
			side: (pixels: string) => `${pixels} píxeles`,
			settingHint: 'Las fotos se reducen en el dispositivo antes de guardarse. Un tamaño menor ahorra almacenamiento y aligera los paquetes; uno mayor mantiene legibles los documentos. Las fotos ya guardadas conservan su tamaño.',
			take: 'Tomar una foto',
			choose: 'Elegir una foto',
			replace: 'Elegir otra foto',
			remove: 'Quitar la foto',
			current: 'Foto actual',
			newPhoto: 'Foto nueva',
			willRemove: 'La foto se quitará al guardar (queda en el historial).',
			keep: 'Conservar la foto',
			preparing: 'Preparando la foto…',
			ready: (kb, width, height) => `Foto lista: ${n(width)} × ${n(height)} píxeles, ${n(kb)} KB. Se guarda con el expediente.`,
			hint: (side) => `Tomada con la cámara o elegida en el dispositivo, y reducida aquí (como máximo ${n(side)} píxeles en su lado más largo) antes de guardarse.`,
			previewAlt: 'La foto que se guardará con el expediente',
			alt: (name) => `Foto de ${name}`,
			notImage: 'Este archivo no es una foto que este dispositivo pueda leer. Elija una imagen JPEG, PNG o WebP.',
			unavailable: 'Esta foto no está en este dispositivo.',
			described: (mediaType, size) => `Foto (${imageFormat(mediaType)}, ${n(Math.ceil(size / 1024))} KB)`,
			quota:
				'No queda espacio de almacenamiento en este dispositivo para la foto, así que no se guardó nada. Todo lo que escribió sigue aquí: libere espacio en el dispositivo (o exporte y archive expedientes antiguos) y vuelva a guardar, o quite la foto y guarde sin ella.'
		},
		location: {
			locating: 'Ubicación: buscando dónde está este dispositivo… Puede guardar mientras tanto.',
			found: (latitude, longitude, accuracy) => `Ubicación: ${position(latitude, longitude, accuracy)}. Se guarda con el expediente.`,
			denied: 'Ubicación: permiso denegado. El expediente se guarda sin ubicación. Para registrarla, permita la ubicación para este sitio en la configuración del navegador e inténtelo de nuevo.',
			unavailable: 'Ubicación: aún no hay posición (no hay señal aquí o tardó demasiado). El expediente se guarda sin ubicación; puede intentarlo de nuevo.',
			unsupported: 'Ubicación: este navegador no puede indicar dónde está el dispositivo. El expediente se guarda sin ubicación.',
			retry: 'Buscar la ubicación de nuevo',
			setting: 'Registrar dónde se hace cada inscripción y cada cambio',
			settingHint: 'La posición del dispositivo (latitud, longitud y precisión) se pide al abrir una inscripción o una edición, y se guarda con ella. Una negativa o la falta de señal nunca impiden guardar.',
			title: 'Ubicación'
		},
		signature: {
			hint: 'Firme en el recuadro con el dedo, un lápiz óptico o el ratón, o escriba el nombre abajo; luego pulse «Conservar esta firma».',
			pad: (label) => `${label}: recuadro de firma, aún sin firmar`,
			padSigned: (label) => `${label}: recuadro de firma, firma conservada`,
			typedLabel: 'O escriba el nombre completo para firmar con él',
			signTyped: 'Firmar con el nombre escrito',
			typeFirst: 'Escriba primero el nombre.',
			keep: 'Conservar esta firma',
			clear: 'Borrar',
			empty: 'Aún no hay nada firmado: firme en el recuadro o escriba el nombre.',
			kept: 'Firma conservada. Se guarda con el formulario.',
			failed: 'No se pudo conservar la firma en este dispositivo; inténtelo de nuevo.'
		},
		geopoint: {
			record: 'Registrar la ubicación',
			again: 'Registrar la ubicación de nuevo',
			clear: 'Quitar la ubicación',
			value: (latitude, longitude, accuracy) => position(latitude, longitude, accuracy),
			none: 'Aún no se ha registrado ninguna ubicación.',
			found: (latitude, longitude, accuracy) => `Registrada: ${position(latitude, longitude, accuracy)}.`,
			denied: 'Permiso de ubicación denegado: permita la ubicación para este sitio en la configuración del navegador y vuelva a registrarla. El formulario puede guardarse igualmente si esta pregunta es opcional.',
			unavailable: 'Aún no hay posición (no hay señal aquí o tardó demasiado). Inténtelo de nuevo, al aire libre si puede.'
		},
		sexes: { female: 'Femenino', male: 'Masculino', other: 'Otro', unknown: 'Desconocido' },
		userRoles: { administrator: 'Administrador', supervisor: 'Supervisor', 'case-worker': 'Gestor de casos' },
		roles: { head: 'Jefe de hogar', spouse: 'Cónyuge', child: 'Hijo o hija', other: 'Otro' },
		eventTypes: {
			'create-individual': 'Registro',
			'create-group': 'Hogar creado',
			'update-individual': 'Datos modificados',
			'update-group': 'Hogar modificado',
			'add-member': 'Miembro añadido',
			'remove-member': 'Miembro retirado',
			'delete-entity': 'Eliminación',
			'assign-case-worker': 'Gestor de casos asignado',
			'describe-user': 'Usuario descrito'
		},
		recorders: {
			roles: { administrator: 'administrador', supervisor: 'supervisor', 'case-worker': 'gestor de casos' },
			claimed: (name, role, device) => `${name} (${role}, ${device ? `dispositivo ${device}` : 'otro dispositivo'})`
		},
		home: {
			title: 'Inicio',
			welcome: (name) => `Sesión iniciada como ${name}.`,
			counts: 'En este dispositivo',
			individuals: 'Personas',
			households: 'Hogares',
			events: 'Eventos en el registro',
			integrity: 'Integridad',
			treeSize: 'Tamaño del registro',
			root: 'Raíz actual',
			lastVerified: 'Última verificación',
			neverVerified: 'Aún no se ha verificado en este dispositivo.',
			verifiedOk: (when, size) => `${when}: ${p(size, { one: 'el único evento coincide', other: 'los # eventos coinciden' })}.`,
			verifiedBad: (when, count) => `${when}: ${p(count, { one: '# evento no coincide', other: '# eventos no coinciden' })}.`,
			checkNow: 'Verificar la integridad ahora',
			storage: 'Almacenamiento',
			connection: 'Conexión',
			actions: 'Empezar',
			registerAction: 'Registrar a una persona',
			householdAction: 'Crear un hogar',
			searchAction: 'Buscar una persona o un hogar'
		},
		register: {
			title: 'Registrar a una persona',
			intro: 'Los campos obligatorios deben completarse. Todo se guarda solo en este dispositivo.',
			sexPlaceholder: 'Elegir…',
			dobHint: 'Día, mes y año. La edad aparece debajo cuando la fecha está completa.',
			age: (years) => (years === 0 ? 'Edad: menos de un año' : `Edad: ${p(years, { one: '# año', other: '# años' })}`),
			phoneHint: 'Dígitos, espacios y un + al principio.',
			submit: 'Registrar',
			saved: (name) => `${name} ha quedado registrado/a.`,
			open: 'Abrir el expediente',
			another: 'Registrar a otra persona',
			invalid: (count) => `${p(count, { one: '# campo debe corregirse', other: '# campos deben corregirse' })} antes de guardar nada.`,
			checking: 'Buscando personas ya registradas…',
			duplicatesTitle: 'Puede que esta persona ya esté registrada',
			duplicatesIntro: 'Compare antes de guardar: registrar dos veces a la misma persona divide su historial.',
			hiddenDuplicates: (count) =>
				`${p(count, { one: '# posible coincidencia está registrada', other: '# posibles coincidencias están registradas' })} por otro gestor de casos. Consulte a un supervisor antes de registrar.`,
			openMatch: (name) => `Abrir ${name}`,
			registerAnyway: 'Es otra persona: registrar',
			reasons: {
				'same-name-and-birth': 'Mismo nombre y misma fecha de nacimiento',
				'similar-name-and-birth': 'Nombre parecido y misma fecha de nacimiento',
				'national-id': 'Mismo documento de identidad',
				phone: 'Mismo teléfono'
			}
		},
		households: {
			title: 'Crear un hogar',
			intro: 'Primero cree el hogar y luego añada sus miembros.',
			submit: 'Crear el hogar',
			created: (name) => `El hogar ${name} está creado. Añada sus miembros abajo.`,
			members: 'Miembros',
			memberCount: (count) => p(count, { one: '# miembro', other: '# miembros' }),
			noMembers: 'Todavía no hay miembros.',
			role: 'Papel',
			rolePlaceholder: 'Elegir…',
			chooseRole: 'Elija primero el papel de la persona en el hogar.',
			remove: 'Retirar',
			removeNamed: (name) => `Retirar a ${name}`,
			removeTitle: (name) => `Retirar a ${name} del hogar`,
			removeConfirm: 'Retirar al miembro',
			removed: (name) => `${name} fue retirado/a del hogar.`,
			addExisting: 'Añadir a una persona ya registrada',
			searchPeople: 'Buscar por nombre o identificador',
			searchHint: 'Escriba al menos una letra; los resultados aparecen mientras escribe.',
			addAs: (name) => `Añadir a ${name}`,
			alreadyMember: 'Ya es miembro',
			added: (name, role) => `${name} fue añadido/a como ${role}.`,
			noResults: 'No se encontró a nadie. Registre a la persona abajo.',
			registerNew: 'Registrar a un nuevo miembro',
			registerNewIntro: 'La dirección y los apellidos se toman del hogar; cámbielos si son distintos.',
			memberOf: 'Hogares',
			notInHousehold: 'No es miembro de ningún hogar.',
			asRole: (role) => `como ${role}`
		},
		list: {
			title: 'Personas y hogares',
			search: 'Buscar por nombre o identificador',
			searchHint: 'Los resultados se actualizan mientras escribe.',
			type: 'Tipo',
			allTypes: 'Todos',
			deleted: 'Expedientes eliminados',
			deletedExclude: 'Ocultar los eliminados',
			deletedInclude: 'Mostrar también los eliminados',
			deletedOnly: 'Solo los eliminados',
			sort: 'Ordenar por',
			sortName: 'Nombre (de la A a la Z)',
			sortUpdated: 'Último cambio (el más reciente primero)',
			results: (count, more) =>
				more ? `Se muestran ${p(count, { one: 'el primer expediente', other: 'los # primeros expedientes' })}.` : `${p(count, { one: '# expediente encontrado', other: '# expedientes encontrados' })}.`,
			none: 'Ningún expediente coincide. Revise la ortografía o cambie los filtros.',
			loadMore: 'Cargar más',
			lastChange: (when) => `Último cambio ${when}`,
			name: 'Nombre',
			details: 'Detalles'
		},
		entity: {
			details: 'Datos',
			deletedNotice: 'Este expediente está eliminado. Se conserva con su historial y ya no puede modificarse.',
			history: 'Historial y viaje en el tiempo',
			edit: 'Editar',
			editTitle: 'Editar los datos',
			editIntro: 'Solo se registran los campos que cambie, con su motivo.',
			saveChanges: 'Guardar los cambios',
			nothingChanged: 'No se cambió nada: cada valor es igual al actual.',
			updated: 'Los cambios están guardados.',
			delete: 'Eliminar',
			deleteTitle: '¿Eliminar este expediente?',
			deleteIntro: 'El expediente queda en el dispositivo, marcado como eliminado, con todo su historial. Después ya no podrá modificarse.',
			deleteConfirm: 'Eliminar el expediente',
			deletedDone: 'El expediente está marcado como eliminado.',
			assign: 'Gestor de casos',
			assignTo: 'Asignar a',
			assignHint: 'El usuario que se ocupará de este expediente. Los gestores de casos solo ven los expedientes que registraron o que tienen asignados.',
			assignIdHint: 'El identificador del gestor de casos que se ocupará de este expediente.',
			choosePerson: 'Elegir…',
			userOption: (name, role) => `${name} (${role})`,
			assignSubmit: 'Asignar',
			assigned: (who) => `Asignado a ${who}.`,
			notAssigned: 'Sin gestor de casos asignado.',
			currentCaseWorker: (who, when) => `Asignado a ${who} desde el ${when}.`,
			created: (when) => `Registrado el ${when}`,
			updatedAt: (when) => `último cambio el ${when}`,
			version: (count) => events(count),
			id: 'Identificador'
		},
		history: {
			title: (name) => `Historial de ${name}`,
			back: 'Volver al expediente',
			trail: 'Pista de auditoría',
			entry: (type, when) => `${type}, ${when}`,
			who: 'Registrado por',
			why: 'Motivo',
			whoLine: (who) => `Registrado por: ${who}`,
			whyLine: (reason) => `Motivo: ${reason}`,
			noReason: 'No se indicó ningún motivo.',
			field: 'Campo',
			before: 'Antes',
			after: 'Después',
			skipped: (message) => `No aplicado: ${message}`,
			inspect: 'Examinar el evento',
			seeAsOf: 'Ver el expediente tal como quedó después de esto',
			travel: 'Viaje en el tiempo',
			travelIntro: 'Vea el expediente tal como era en cualquier momento. Los campos que difieren de hoy aparecen resaltados.',
			instant: 'Fecha y hora',
			instantHint: 'En su hora local.',
			instantShown: (when) => `Elegido: ${when}, hora local.`,
			instantMissing: 'Elija primero una fecha y una hora.',
			show: 'Mostrar',
			asOfEvent: (when) => `Tal como era justo después del cambio del ${when}`,
			asOfInstant: (when) => `Tal como era el ${when}`,
			notYet: 'El expediente aún no existía en ese momento.',
			sameAsToday: 'Nada difiere de hoy.',
			differs: (count) => `${p(count, { one: '# campo difiere', other: '# campos difieren' })} de hoy (resaltados).`,
			today: 'Hoy',
			then: 'Entonces',
			changedMark: 'difiere',
			backToToday: 'Cerrar el viaje en el tiempo'
		},
		log: {
			title: 'Registro de eventos',
			intro: 'Todos los cambios registrados alguna vez en este dispositivo, los más recientes primero. Abra un evento para comprobar su prueba.',
			position: 'Posición',
			event: 'Evento',
			when: 'Cuándo',
			who: 'Por',
			record: 'Expediente',
			users: 'Usuarios de un dispositivo',
			empty: 'El registro está vacío.',
			loadMore: 'Cargar eventos anteriores'
		},
		inspector: {
			title: 'Inspector de eventos',
			canonical: 'JSON canónico (los bytes exactos que se resumen)',
			leafIndex: 'Posición en el registro (índice de hoja)',
			leafHash: 'Hash de la hoja',
			treeSize: 'Tamaño del registro',
			root: 'Raíz actual',
			proof: 'Prueba de inclusión',
			proofIntro: (count) => `${p(count, { one: '# hash lleva', other: '# hashes llevan' })} de este evento a la raíz actual.`,
			emptyProof: 'El registro solo contiene este evento: el hash de su hoja es la raíz.',
			verify: 'Verificar en este navegador',
			verifying: 'Verificando…',
			verified: 'Verificado: este evento está en el registro exactamente como se muestra, y la prueba lleva a la raíz actual. No ha cambiado desde que se registró.',
			leafDiffers: 'No verificado: el texto del evento ya no da el hash de hoja guardado con él. Se modificó después de registrarse.',
			notVerified: 'No verificado: la prueba no lleva a la raíz actual. El registro se modificó después de registrarse este evento. Ejecute la verificación de integridad.',
			record: 'Abrir el expediente',
			sync: 'Estado de sincronización',
			syncStatus: { local: 'Registrado aquí, aún sin exportar', exported: 'Registrado aquí y exportado', imported: 'Importado de otro dispositivo' }
		},
		integrity: {
			title: 'Verificación de integridad',
			intro: 'Vuelve a calcular la huella de cada evento registrado y de todo el registro, y las compara con lo almacenado. Cualquier cambio hecho a los expedientes fuera de Casetrail aparece aquí.',
			run: 'Verificar todo el registro',
			running: 'Verificando…',
			progress: 'Progreso de la verificación de integridad',
			progressText: (done, total) => `${n(done)} de ${p(total, { one: '# evento verificado', other: '# eventos verificados' })}`,
			ok: (size) => `Todo coincide: ${p(size, { one: 'el único evento está exactamente como se registró', other: 'los # eventos están exactamente como se registraron' })}.`,
			bad: (count) => `${p(count, { one: '# evento ya no coincide', other: '# eventos ya no coinciden' })} con lo que se registró.`,
			meaning:
				'Esto significa que alguien o algo cambió o eliminó estos expedientes en el almacenamiento del dispositivo, fuera de Casetrail. Casetrail nunca cambia un evento registrado, así que estos cambios no provienen de un gestor de casos que use la aplicación. No confíe en estos expedientes: deje el dispositivo como está, no exporte desde él y avise a su supervisor o al delegado de protección de datos. Los demás eventos siguen coincidiendo y son fiables.',
			empty: 'El registro está vacío: todavía no hay nada que verificar.',
			tamperedTitle: 'Eventos que ya no coinciden',
			more: (count) => `y ${p(count, { one: '# evento más', other: '# eventos más' })}.`,
			position: (seq) => `Evento en la posición ${n(seq)}`,
			problems: 'Lo que se encontró',
			storedRoot: 'Raíz almacenada',
			computedRoot: 'Raíz calculada a partir de los eventos',
			checkedAt: (when, seconds) => `Verificado el ${when}, en ${seconds} s.`,
			inspect: 'Examinar',
			record: 'Expediente',
			rebuildTitle: 'Reconstruir los expedientes a partir del registro',
			rebuildIntro:
				'Los expedientes que ve y busca (personas, hogares y sus listas) se construyen a partir de los eventos registrados. Reconstruir vuelve a aplicar cada evento y reescribe cada expediente que difiera de lo que dicen los eventos, por ejemplo uno perdido o modificado en el almacenamiento del dispositivo. Los eventos registrados nunca se modifican.',
			rebuild: 'Reconstruir los expedientes a partir del registro',
			rebuilding: 'Reconstruyendo…',
			rebuildProgress: 'Progreso de la reconstrucción',
			rebuildProgressText: (done, total) => `${n(done)} de ${p(total, { one: '# evento aplicado', other: '# eventos aplicados' })}`,
			rebuildOk: (eventCount, entities) =>
				`Cada expediente ya coincidía con el registro: ${p(eventCount, { one: '# evento aplicado', other: '# eventos aplicados' })} en ${p(entities, { one: '# expediente', other: '# expedientes' })}, no cambió nada.`,
			rebuildFixed: (changed, eventCount, entities) =>
				`${p(changed, { one: '# fila almacenada difería', other: '# filas almacenadas diferían' })} de lo que dicen los eventos y ${changed === 1 ? 'se reconstruyó' : 'se reconstruyeron'}. ${p(eventCount, { one: '# evento aplicado', other: '# eventos aplicados' })} en ${p(entities, { one: '# expediente', other: '# expedientes' })}; ahora cada expediente coincide con el registro.`,
			rebuiltAt: (when, seconds) => `Reconstruido el ${when}, en ${seconds} s.`
		},
		metrics: {
			title: 'Métricas',
			totalEvents: 'Total de eventos',
			eventsPerSecond: 'Eventos por segundo (velocidad del almacenamiento, último minuto de escrituras en esta pestaña)',
			averageSize: 'Tamaño medio de un evento',
			failedEvents: 'Eventos fallidos (escrituras rechazadas)',
			treeDepth: 'Profundidad del árbol de Merkle',
			byType: 'Eventos por tipo',
			chartLabel: 'Eventos por tipo, en barras; las cifras están junto a cada barra.',
			bytes: (size) => p(Math.round(size), { one: '# byte', other: '# bytes' }),
			none: 'Todavía no hay eventos.'
		}
	},
	xt: {
		nav: 'Intercambio',
		title: 'Intercambio',
		intro:
			'Envíe los expedientes de este dispositivo a un supervisor o a un colega como archivo de paquete firmado, y compruebe e importe los paquetes que reciba. Cualquiera puede verificar que un paquete está completo y no ha cambiado desde que se firmó.',
		positions: (begin, end) => (end - begin === 1 ? `evento ${n(begin + 1)}` : `eventos ${n(begin + 1)} a ${n(end)}`),
		export: {
			title: 'Exportar',
			thisDevice: 'Este dispositivo',
			size: (count) => `${events(count)} en este dispositivo.`,
			never: 'Todavía no se ha exportado nada desde este dispositivo.',
			last: (days, size) =>
				`Última exportación: ${days === 0 ? 'hoy' : days === 1 ? 'ayer' : `hace ${p(days, { one: '# día', other: '# días' })}`}, hasta el evento ${n(size)}.`,
			unexported: (count) =>
				count === 0 ? 'Todos los eventos de este dispositivo están en una exportación.' : `${p(count, { one: '# evento aún no está', other: '# eventos aún no están' })} en ninguna exportación.`,
			what: 'Qué exportar',
			whole: 'Todo el registro',
			wholeHint: 'Todos los eventos de este dispositivo. Úselo como copia de seguridad o la primera vez que envíe a alguien.',
			since: 'Desde la última exportación',
			sinceHint: (count) =>
				count === 0
					? 'No se añadió nada desde la última exportación: el paquete no contiene eventos, solo un nuevo punto de control firmado.'
					: `${p(count, { one: 'El evento añadido', other: 'Los # eventos añadidos' })} desde la última exportación. El paquete sigue probando que los eventos anteriores no cambiaron.`,
			create: 'Crear el paquete',
			creating: 'Creando el paquete…',
			progress: 'Progreso de la exportación',
			progressText: (done, total) => `${n(done)} de ${events(total)} leídos`,
			ready: (count, fileName) => `Paquete listo: ${events(count)} en ${fileName}.`,
			partial: (remaining) =>
				`El paquete alcanzó el tamaño máximo de un paquete, así que ${p(remaining, { one: '# evento no está', other: '# eventos no están' })} en él. Exporte de nuevo con «Desde la última exportación» para continuar.`,
			download: 'Descargar el archivo',
			share: 'Compartir el archivo…',
			shareHint: 'Envía el archivo con otra aplicación de este dispositivo (mensajería, correo, Bluetooth).',
			shareFailed: 'No se pudo compartir el archivo. Descárguelo y envíelo como lo hace normalmente.'
		},
		verify: {
			title: 'Verificar e importar',
			intro: 'Elija un archivo de paquete. Primero se comprueba; no se importa nada hasta que pulse Importar.',
			file: 'Archivo de paquete',
			fileHint: 'Un archivo .json creado por Casetrail.',
			checking: 'Comprobando el paquete…',
			valid: 'Válido: este paquete está completo y no ha cambiado desde que se firmó.',
			invalid: 'Este paquete no es fiable y no se puede importar.',
			code: 'Código de error',
			device: 'Firmado por el dispositivo',
			relation: { own: 'Este dispositivo (una de sus propias exportaciones)', new: 'Un dispositivo no visto antes', known: 'Un dispositivo ya visto' },
			events: 'Eventos',
			entities: 'Personas y hogares que crea',
			touched: 'Expedientes que modifica',
			range: 'Posiciones en el registro de ese dispositivo',
			rangeValue: (from, to) => (to === from ? 'ninguna (solo un punto de control firmado)' : (catalog.xt.positions as (begin: number, end: number) => string)(from, to)),
			signedAt: 'Firmado',
			root: 'Hash raíz',
			format: 'Formato del paquete',
			formatValue: (version) => (version === 1 ? 'versión 1 (sin pruebas de coherencia)' : `versión ${n(version)}`),
			missingProof: (size, issuedAt) =>
				`Este paquete no prueba que amplía el punto de control de ${events(size)} que el mismo dispositivo firmó el ${issuedAt}. Su importación será rechazada; pida a ese dispositivo una nueva exportación.`,
			gap: (list) => `Aún no recibido de ese dispositivo: ${list}. No es un problema: este paquete puede importarse ahora y los demás después.`,
			fork: (list) =>
				`Este paquete contradice lo que el mismo dispositivo envió antes (${list}). Su importación será rechazada y ambos puntos de control firmados se conservarán como prueba.`,
			import: 'Importar',
			importing: 'Importando…',
			phases: {
				reading: 'Leyendo el archivo…',
				verifying: 'Verificando la firma y los hashes…',
				checking: 'Comparando con lo que ese dispositivo envió antes…',
				importing: 'Añadiendo los eventos a este dispositivo…'
			},
			progress: 'Progreso de la importación',
			progressSteps: {
				nodes: (done, total) => `Registrando el historial del dispositivo remitente: ${n(done)} de ${n(total)} huellas`,
				events: (done, total) => `${n(done)} de ${events(total)} añadidos`,
				publishing: (_done, total) => `Finalizando: ${events(total)} añadidos, haciéndolos definitivos`
			},
			imported: (appended, skipped) =>
				`Importado: ${p(appended, { one: '# evento añadido', other: '# eventos añadidos' })}${skipped > 0 ? `, ${p(skipped, { one: '# evento ya presente omitido', other: '# eventos ya presentes omitidos' })}` : ''}.`,
			notApplied: (count) =>
				`${p(count, { one: '# evento no cambió', other: '# eventos no cambiaron' })} ningún expediente (se conservan en el registro); consulte los historiales de los expedientes.`,
			refused: 'No importado. No se cambió nada en este dispositivo.'
		},
		tables: {
			title: 'Tablas para un equipo de datos',
			intro:
				'Las personas, hogares, miembros e historiales que usted puede ver, como tablas planas con una columna por campo de formulario: archivos CSV (UTF-8), o un libro de Excel con una hoja por tabla. Las mismas columnas que la exportación del registro del programa.',
			prepare: 'Preparar las tablas',
			preparing: 'Preparando las tablas…',
			file: (name, rows) => `${name} (${p(rows, { one: '# fila', other: '# filas' })})`,
			workbook: 'Crear un libro de Excel',
			writingWorkbook: 'Escribiendo el libro…'
		},
		devices: {
			title: 'Dispositivos vistos',
			none: 'Todavía no se ha importado ningún paquete.',
			device: (shortId) => `Dispositivo ${shortId}`,
			id: 'Identificador del dispositivo',
			firstSeen: 'Primer paquete importado',
			lastSeen: 'Último paquete importado',
			latest: 'Último punto de control',
			latestValue: (size, issuedAt) => `${events(size)}, firmado el ${issuedAt}`,
			received: 'Recibido',
			missing: 'Aún no recibido',
			nothing: 'nada',
			forks: 'Pruebas de bifurcación',
			forkFound: (when) => `Rechazado el ${when}: este dispositivo firmó dos historiales que no pueden ser ciertos a la vez.`,
			seen: 'Punto de control importado antes',
			offered: 'Punto de control del paquete rechazado',
			checkpoint: (size, issuedAt) => `${events(size)}, firmado el ${issuedAt}`,
			jws: 'Punto de control firmado (JWS)'
		},
		settings: {
			title: 'Este dispositivo',
			intro: 'Cada evento registrado aquí y cada paquete exportado desde aquí lleva este identificador. Su clave nunca sale del dispositivo.',
			id: 'Identificador del dispositivo',
			short: 'Identificador corto (en los nombres de archivo)',
			created: 'Clave creada',
			loading: 'Cargando…'
		},
		reasons: {
			malformed: 'El archivo no es un paquete de Casetrail legible.',
			'unsupported-format': 'El archivo es un paquete de un tipo que esta versión de Casetrail no sabe leer.',
			'bad-signature': 'La firma no coincide: el paquete se modificó después de firmarse, o no lo firmó un dispositivo Casetrail.',
			'device-mismatch': 'El paquete dice venir de un dispositivo que no lo firmó.',
			'size-mismatch': 'Se añadieron o quitaron eventos del paquete después de firmarse.',
			'invalid-event': 'Un evento del paquete no es un evento válido de Casetrail.',
			'duplicate-event': 'El mismo evento aparece dos veces en el paquete.',
			'root-mismatch': 'Los eventos se modificaron después de firmarse el paquete.',
			'fork-detected': 'El dispositivo emisor cambió o eliminó eventos que ya había enviado.',
			'limit-exceeded': 'El paquete supera lo que este dispositivo acepta (eventos por paquete, bytes por evento o miembros por hogar).',
			'profile-invalid': 'El paquete describe a un usuario con algo distinto de un nombre y un papel, o con un nombre que este dispositivo no acepta.',
			'bad-consistency-proof': 'Una prueba de que el paquete amplía los puntos de control anteriores de su dispositivo no se sostiene: el paquete se dañó o se alteró.',
			'missing-consistency-proof': 'El paquete no prueba que amplía lo que el mismo dispositivo envió antes.',
			'history-inconsistent': 'El registro de este dispositivo ya no amplía un punto de control que firmó: su almacenamiento fue modificado.',
			'event-conflict': 'Un evento de este paquete ya está en este dispositivo con otro contenido.',
			'attachment-mismatch': 'Una foto o firma del paquete no es la que indica su expediente: se modificó después de registrarse.',
			'attachment-missing': 'Un expediente del paquete tiene una foto o firma que el paquete no contiene.',
			'import-running': 'Se está importando otro paquete en este dispositivo (en esta pestaña o en otra).'
		}
	},
	ft: {
		nav: 'Formularios',
		title: 'Formularios',
		intro: 'Los cuestionarios de su programa. Los registros y seguimientos se hacen con las versiones publicadas aquí, y cada expediente recuerda la versión con la que se registró.',
		purposes: {
			'register-individual': 'Registra a una persona',
			'register-group': 'Registra un hogar',
			'update-individual': 'Actualiza a una persona',
			'update-group': 'Actualiza un hogar',
			'event-visit-recorded': 'Registra una visita',
			'event-assistance-provided': 'Registra la asistencia prestada'
		},
		list: {
			title: 'Formularios publicados',
			none: 'Todavía no hay ningún formulario publicado en este dispositivo: el registro usa los formularios predeterminados, incluidos en la aplicación.',
			builtIn: 'Incluido en la aplicación',
			form: 'Formulario',
			version: 'Versión',
			does: 'Qué hace',
			published: 'Publicado',
			open: (title) => `Rellenar ${title}`
		},
		import: {
			title: 'Importar un XForm',
			intro: 'Convierta el XLSForm en XForm (.xml) con ODK Central, KoboToolbox o pyxform, y elija el archivo aquí. No se publica nada hasta que lo confirme.',
			file: 'Archivo XForm (.xml)',
			reading: 'Leyendo el formulario…',
			refused: 'Este formulario no puede publicarse',
			where: 'Dónde',
			what: 'Qué',
			understood: (title) => `Entendido: ${title}`,
			id: 'Identificador del formulario',
			version: 'Versión',
			languages: 'Idiomas',
			noTranslations: 'Un solo idioma (sin traducciones)',
			questions: 'Preguntas',
			question: 'Pregunta',
			name: 'Nombre',
			type: 'Tipo',
			savesTo: 'Se guarda en',
			rules: 'Reglas',
			required: 'obligatoria',
			constraint: 'restricción',
			relevant: 'se pregunta si',
			calculated: 'calculada',
			repeated: 'se pregunta en cada repetición',
			purpose: 'Qué hace un envío',
			purposeFixed: 'Según la declaración de entidades del formulario.',
			purposeHint: 'Este formulario no tiene declaración de entidades: elija qué hace un envío.',
			publish: 'Publicar esta versión',
			publishing: 'Publicando…',
			published: (title, version) => `${title} versión ${version} está publicado. Llegará a los demás dispositivos en el próximo paquete.`,
			cancel: 'Elegir otro archivo'
		},
		fill: {
			language: 'Idioma',
			submit: 'Guardar',
			saving: 'Guardando…',
			required: 'obligatoria',
			optional: 'opcional',
			problems: (count) => (count === 1 ? 'Una respuesta requiere atención.' : `${n(count)} respuestas requieren atención.`),
			cannotCompute: (why) => `Este formulario no puede rellenarse en este dispositivo: ${why} Pida una versión corregida a quien lo publicó.`,
			saved: 'Guardado.',
			openRecord: 'Abrir el expediente',
			notFound: 'Esta versión del formulario no está en este dispositivo. Importe el paquete que la publica.',
			forRecord: (name) => `Para: ${name}`,
			instance: (title, index) => `${title} ${n(index)}`,
			add: (title) => `Añadir a ${title}`,
			remove: (title, index) => `Quitar ${title} ${n(index)}`,
			version: (v) => `Versión ${v}`,
			changedMeanwhile: 'Las respuestas cambiaron mientras se comprobaban, así que no se guardó nada. Revíselas y vuelva a guardar.'
		},
		record: {
			followUps: 'Formularios de seguimiento',
			flagged: 'Este expediente no cumple su formulario',
			flaggedIntro: (form, version) => `Se registró en otro dispositivo; el formulario ${form} versión ${version} no acepta estas respuestas:`
		},
		history: {
			form: (title, version) => `Registrado con ${title}, versión ${version}`,
			recorded: 'Respuestas registradas',
			answer: 'Respuesta'
		},
		register: {
			title: 'Registrar',
			intro: 'Los formularios de registro de su programa, la última versión de cada uno. Todo se guarda solo en este dispositivo.',
			choose: 'Formulario de registro',
			loading: 'Leyendo los formularios de registro de este dispositivo…',
			form: (title, version) => `Formulario: ${title}, versión ${version}`
		},
		types: {
			text: 'Texto',
			integer: 'Número entero',
			decimal: 'Número',
			date: 'Fecha',
			'select-one': 'Una opción',
			'select-multiple': 'Varias opciones',
			note: 'Nota',
			calculate: 'Cálculo',
			image: 'Foto o firma',
			geopoint: 'Ubicación'
		},
		answers: {
			required: 'Esta pregunta necesita una respuesta.',
			choice: 'Elija entre las opciones dadas.',
			constraint: 'El formulario no acepta esta respuesta.',
			integer: 'Escriba un número entero.',
			decimal: 'Escriba un número.',
			date: 'Escriba una fecha real, AAAA-MM-DD.',
			image: 'Tome o elija la imagen de nuevo.',
			geopoint: 'Registre la ubicación de nuevo.',
			tooLong: 'Esta respuesta es demasiado larga.'
		}
	},
	ut: {
		nav: { users: 'Usuarios' },
		invalid: (count) => (count === 1 ? 'Un campo necesita un cambio: vea el mensaje a su lado.' : `${n(count)} campos necesitan un cambio: vea los mensajes a su lado.`),
		nameMissing: 'Escriba un nombre.',
		roleMissing: 'Elija un papel.',
		roles: { administrator: 'Administrador', supervisor: 'Supervisor', 'case-worker': 'Gestor de casos' },
		rolePhrases: { administrator: 'administrador', supervisor: 'supervisor', 'case-worker': 'gestor de casos' },
		roleHints: {
			administrator: 'Ve y modifica todos los expedientes, exporta e importa, y gestiona los usuarios.',
			supervisor: 'Ve y modifica todos los expedientes, los asigna, exporta e importa.',
			'case-worker': 'Registra personas y solo ve los expedientes que registró o que tiene asignados.'
		},
		kinds: { passphrase: 'Frase de contraseña', pin: 'Código PIN' },
		secret: {
			repeat: (kind) => (kind === 'pin' ? 'Repita el código PIN' : 'Repita la frase de contraseña'),
			passphraseHint: (min) => `Al menos ${p(min, { one: '# carácter', other: '# caracteres' })}. Varias palabras sin relación son fáciles de recordar y difíciles de adivinar.`,
			pinHint: (min) => `Solo dígitos, al menos ${n(min)}.`,
			mismatch: 'Las dos entradas no son iguales. Escríbalas de nuevo.',
			strengthLabel: 'Solidez:',
			strength: {
				'too-short': (missing) => `demasiado corta: faltan ${p(missing, { one: '# carácter', other: '# caracteres' })}.`,
				weak: () => 'débil: fácil de adivinar. Use varias palabras sin relación.',
				fair: () => 'aceptable. Unas palabras más la hacen mucho más sólida.',
				strong: () => 'sólida.'
			}
		},
		session: {
			label: 'Sesión iniciada',
			who: (name, role) => `${name} · ${role}`,
			signOut: 'Cerrar sesión',
			signingOut: 'Cerrando sesión…',
			signOutHint: 'Bloquea los expedientes de este dispositivo hasta que alguien vuelva a iniciar sesión.'
		},
		setup: {
			title: 'Configurar este dispositivo',
			intro: 'Casetrail guarda sus expedientes solo en este dispositivo. Primero, cree el administrador: la persona que añade a los demás usuarios.',
			name: 'Su nombre',
			nameHint: 'Se muestra en la pantalla de inicio de sesión y en cada expediente que modifique.',
			passphrase: 'Frase de contraseña',
			lossTitle: 'Antes de empezar: una frase de contraseña perdida no puede recuperarse',
			loss:
				'Todo lo que hay en este dispositivo está cifrado con su frase de contraseña y con las de los usuarios que añada. Nadie, ni un administrador ni los creadores de Casetrail, puede abrir los expedientes si se pierden todas las frases de contraseña y todos los PIN, o si el dispositivo se pierde o se rompe.',
			backup: 'La copia de seguridad es una exportación: una vez configurado, exporte regularmente un paquete desde la página Intercambio y guárdelo en un lugar seguro.',
			understand: 'Entiendo que los expedientes no pueden recuperarse sin una frase de contraseña y que las exportaciones son la copia de seguridad.',
			understandMissing: 'Marque esta casilla para confirmar que ha leído la advertencia anterior.',
			submit: 'Configurar este dispositivo',
			working: 'Configurando… (tarda unos segundos)',
			done: 'Este dispositivo está configurado. Ha iniciado sesión.'
		},
		signIn: {
			title: 'Iniciar sesión',
			intro: 'Elija quién es y escriba su frase de contraseña o su PIN.',
			who: '¿Quién es usted?',
			none: 'Todavía nadie puede iniciar sesión en este dispositivo.',
			chooseMissing: 'Elija quién es.',
			secretMissing: (kind) => (kind === 'pin' ? 'Escriba su PIN.' : 'Escriba su frase de contraseña.'),
			submit: 'Iniciar sesión',
			working: 'Iniciando sesión… (tarda unos segundos)',
			wrong: (kind) =>
				kind === 'pin'
					? 'Ese PIN no es correcto. Tras varios PIN incorrectos, hay que esperar antes del siguiente intento.'
					: 'Esa frase de contraseña no es correcta. Compruebe las mayúsculas y el idioma del teclado e inténtelo de nuevo.',
			wait: (seconds) => `Demasiados PIN incorrectos. Inténtelo de nuevo dentro de ${p(seconds, { one: '# segundo', other: '# segundos' })}.`,
			waitLeft: (seconds) => `Segundos restantes: ${n(seconds)}`,
			waitOver: 'Ya puede volver a intentarlo.',
			locked: 'Bloqueado tras 15 minutos sin uso. Vuelva a iniciar sesión para continuar.',
			forgot: '¿La olvidó? Un administrador puede asignarle una nueva frase de contraseña o un nuevo PIN en la página Usuarios.'
		},
		users: {
			title: 'Usuarios',
			intro: 'Las personas que usan este dispositivo y lo que cada una puede hacer. Cada cambio en un expediente nombra a la persona que lo hizo.',
			forbidden: 'Solo un administrador gestiona los usuarios. Puede cambiar su propia frase de contraseña.',
			listTitle: 'Personas en este dispositivo',
			name: 'Nombre',
			role: 'Papel',
			signsInWith: 'Inicia sesión con',
			actions: 'Acciones',
			you: '(usted)',
			forUser: (action, name) => `${action}: ${name}`,
			changeRole: 'Cambiar el papel',
			changeRoleOf: (name) => `Cambiar el papel de ${name}`,
			saveRole: 'Guardar el papel',
			roleSaved: (name, role) => `${name} es ahora ${role}.`,
			reset: 'Nueva frase de contraseña',
			resetOf: (name) => `Nueva frase de contraseña para ${name}`,
			resetIntro: (name) => `${name} iniciará sesión con ella a partir de ahora; la anterior deja de funcionar. Comuníquesela en persona.`,
			resetSave: 'Guardar el nuevo secreto',
			resetDone: (name) => `${name} tiene una nueva frase de contraseña.`,
			remove: 'Retirar',
			removeOf: (name) => `Retirar a ${name}`,
			removeIntro: (name) =>
				`${name} ya no podrá iniciar sesión en este dispositivo. Los expedientes que modificó conservan su nombre en el historial. Siempre queda un administrador.`,
			removeConfirm: 'Retirar al usuario',
			removed: (name) => `${name} fue retirado/a de este dispositivo.`,
			roleSavedRotated: (name, role, rows) =>
				`${name} es ahora ${role}. La clave del dispositivo cambió: ${p(rows, { one: '# elemento almacenado se cifró', other: '# elementos almacenados se cifraron' })} de nuevo.`,
			removedRotated: (name, rows) =>
				`${name} fue retirado/a de este dispositivo. La clave del dispositivo cambió: ${p(rows, { one: '# elemento almacenado se cifró', other: '# elementos almacenados se cifraron' })} de nuevo, así que una copia de la frase de contraseña de ${name} ya no abre lo que hay almacenado aquí.`,
			rotationWaits: (names) =>
				`La clave del dispositivo aún no ha cambiado: espera a que ${names.join(', ')} ${names.length === 1 ? 'haya' : 'hayan'} iniciado sesión una vez desde la actualización, o a que usted ${names.length === 1 ? 'le' : 'les'} asigne una nueva frase de contraseña. Hasta entonces, alguien que conserve una copia de este dispositivo y la frase de contraseña retirada aún podría leerlo fuera de Casetrail.`,
			rotationLabel: 'Cambio de la clave del dispositivo',
			rotationCount: (done, total) => `${n(done)} de ${p(total, { one: '# elemento almacenado cifrado', other: '# elementos almacenados cifrados' })} de nuevo.`,
			ownRow: 'Cambie la suya en la página Su frase de contraseña.',
			addTitle: 'Añadir un usuario',
			addName: 'Nombre',
			addNameHint: 'Tal como debe aparecer en la pantalla de inicio de sesión.',
			addRole: 'Papel',
			rolePlaceholder: 'Elija un papel',
			addSecret: (kind) => (kind === 'pin' ? 'Código PIN' : 'Frase de contraseña'),
			addSubmit: 'Añadir el usuario',
			adding: 'Añadiendo… (tarda unos segundos)',
			added: (name, role) => `${name} fue añadido/a como ${role}. Ya puede iniciar sesión.`,
			cancel: 'Cancelar',
			saving: 'Guardando… (tarda unos segundos)'
		},
		me: {
			title: 'Su frase de contraseña',
			intro: (name, role) => `Ha iniciado sesión como ${name}, ${role}.`,
			current: 'Frase de contraseña actual',
			currentMissing: 'Escriba su frase de contraseña actual.',
			wrongCurrent: 'Esa no es su frase de contraseña actual.',
			newSecret: (kind) => (kind === 'pin' ? 'Nuevo PIN' : 'Nueva frase de contraseña'),
			submit: 'Cambiar',
			done: 'Cambiada. Use la nueva la próxima vez que inicie sesión.',
			manage: 'Gestionar los usuarios',
			quickTitle: 'Desbloqueo rápido con un PIN',
			quickIntro: (hours) =>
				`Cuando esta pestaña se bloquea tras 15 minutos sin uso, su PIN la desbloquea, hasta ${p(hours, { one: '# hora', other: '# horas' })} después de iniciar sesión con su frase de contraseña. El PIN solo se guarda en la memoria de esta pestaña, nunca se almacena: recargar, otra pestaña o cerrar sesión piden su frase de contraseña.`,
			quickPin: 'Código PIN',
			quickSubmit: 'Establecer el PIN',
			quickDone: 'PIN establecido. Desbloquea esta pestaña hasta que cierre sesión o se acabe el tiempo.'
		},
		settings: {
			title: 'Su perfil',
			signedOut: 'Inicie sesión para ver la identidad de este dispositivo y cambiar su frase de contraseña.',
			change: 'Cambiar su frase de contraseña o establecer un PIN'
		}
	},
	pt: {
		update: {
			available: 'Hay una nueva versión disponible.',
			keepsData: 'Sus expedientes se quedan en este dispositivo.',
			reload: 'Recargar para actualizar',
			later: 'Más tarde',
			activated: 'Se activó una nueva versión en otra pestaña. Recargue esta página para usarla.',
			reloadPage: 'Recargar',
			unsaved: 'Un formulario de esta página tiene datos aún sin guardar. Si recarga ahora, se perderán.',
			keepEditing: 'Seguir editando',
			discard: 'Descartar y recargar',
			reloading: 'Actualizando…'
		},
		install: {
			button: 'Instalar Casetrail',
			installed: 'Casetrail está instalado en este dispositivo.',
			dismissed: 'No instalado. Puede instalarlo desde aquí en cualquier momento.',
			accepted: 'Instalando…',
			appleHelp: 'Para instalar en iPhone o iPad: abra Casetrail en Safari, toque Compartir (el cuadrado con una flecha) y luego «Añadir a pantalla de inicio».',
			otherHelp:
				'Este navegador no ofrece aquí un botón de instalación. En Chrome o Edge, abra el menú del navegador y elija «Instalar Casetrail» (en Android: «Añadir a pantalla de inicio»). En otros navegadores Casetrail funciona igual en una pestaña.'
		},
		offline: {
			ready: 'Listo para trabajar sin red: la aplicación está guardada en este dispositivo.',
			preparing: 'Preparando el uso sin conexión…',
			unavailable: 'El uso sin conexión no está disponible en este navegador ni en una versión de desarrollo.',
			failed: 'No se pudo preparar el uso sin conexión:',
			checkUpdates: 'Buscar actualizaciones',
			found: 'Se está descargando una nueva versión; se le pedirá que recargue.',
			latest: 'Esta es la versión más reciente.',
			checkOffline: 'Sin conexión con el servidor: no se pueden buscar actualizaciones ahora.',
			version: 'Versión'
		},
		storage: {
			persisted: 'Protegido: el navegador no borrará los datos de Casetrail para liberar espacio.',
			notPersisted:
				'Sin protección: el navegador puede borrar los datos de Casetrail cuando al dispositivo le falte espacio. Instalar la aplicación y exportar con regularidad los mantiene a salvo.',
			unknown: 'Este navegador no puede decir si conserva los datos de Casetrail.',
			unsupported: 'Este navegador no informa del almacenamiento usado.',
			ask: 'Pedir al navegador que conserve los datos',
			denied: 'El navegador se negó por ahora. Suele aceptar cuando la aplicación está instalada o se usa a menudo.',
			usage: (used, quota, percent) => `${used} de ${quota} usados (${n(percent)} %)`,
			usageLabel: 'Almacenamiento usado',
			perEvent: (perEvent: string, times: string, eventBytes: string) =>
				`Es decir, ${perEvent} por evento guardado: ${times} veces los ${eventBytes} que ocupan los propios eventos (más o menos el tamaño de una exportación de todos ellos).`,
			unexported: (count) => `${p(count, { one: '# evento aún no se ha exportado', other: '# eventos aún no se han exportado' })}.`,
			lastExport: (days) => (days === 0 ? 'Última exportación: hoy.' : days === 1 ? 'Última exportación: ayer.' : `Última exportación: hace ${p(days, { one: '# día', other: '# días' })}.`),
			neverExported: 'Todavía no se ha hecho ninguna exportación en este dispositivo.',
			quotaNear: (percent) =>
				`El almacenamiento está lleno al ${n(percent)} %. Exporte sus expedientes ahora y libere espacio en el dispositivo: los nuevos expedientes podrían no guardarse cuando esté lleno.`,
			quotaNearPhotos: (percent, photos) =>
				`El almacenamiento está lleno al ${n(percent)} %, y las fotos y firmas ocupan ${photos}. Exporte sus expedientes ahora (las fotos viajan en el paquete) y libere espacio en el dispositivo: los nuevos expedientes y fotos podrían no guardarse cuando esté lleno.`,
			attachments: (count, bytes) =>
				count === 0 ? 'No hay fotos ni firmas guardadas en este dispositivo.' : `Fotos y firmas: ${n(count)} en este dispositivo, ${bytes} (cifradas como los expedientes).`,
			exportOverdue: (days) =>
				`${days === null ? 'Todavía no se ha exportado nada' : `Sin exportaciones desde hace ${p(days, { one: '# día', other: '# días' })}`}. Exporte ahora: los expedientes que solo existen en este dispositivo se pierden si se pierde el dispositivo o el navegador borra su almacenamiento (Safari lo hace tras 7 días sin uso salvo que Casetrail esté en la pantalla de inicio).`
		},
		settings: {
			title: 'Ajustes',
			install: 'Instalación y uso sin conexión',
			storage: 'Almacenamiento en este dispositivo'
		}
	},
	et: {
		codes: {
			'invalid-event': 'El evento no es válido, así que no se registró.',
			'validation-failed': 'Algunos campos deben corregirse; no se guardó nada.',
			'unknown-command': 'Esta versión de Casetrail no conoce esta acción.',
			malformed: 'Este archivo no es un paquete de Casetrail, o está dañado.',
			'unsupported-format': 'Este paquete lo creó una versión más reciente de Casetrail. Actualice la aplicación e inténtelo de nuevo.',
			'bad-signature': 'La firma del paquete no coincide con su contenido: se modificó después de firmarse. No lo importe.',
			'device-mismatch': 'El paquete nombra otro dispositivo distinto del que lo firmó. No lo importe.',
			'size-mismatch': 'El paquete no contiene el número de eventos que declara. No lo importe.',
			'duplicate-event': 'El paquete contiene dos veces el mismo evento. No lo importe.',
			'root-mismatch': 'Los eventos del paquete no coinciden con su raíz firmada: se modificaron. No lo importe.',
			'bad-consistency-proof': 'La prueba de que el paquete amplía el historial anterior de su dispositivo es falsa. No lo importe.',
			'missing-consistency-proof': 'El paquete no prueba que amplía lo que su dispositivo envió antes. Pida a ese dispositivo una nueva exportación.',
			'attachment-missing': 'Un evento hace referencia a una foto o firma que no se entregó ni está guardada en este dispositivo, así que no se guardó nada.',
			'import-running': 'Se está importando un paquete en este dispositivo (en esta pestaña o en otra), así que no se guardó nada. Inténtelo de nuevo cuando termine la importación.',
			'attachment-mismatch': 'Una foto o firma no coincide con lo que dice su expediente (huella o tamaño): se modificó. No se guardó nada.',
			'fork-detected': 'El dispositivo que firmó este paquete reescribió un historial que ya había enviado. El paquete se rechaza y ambos puntos de control firmados se conservan como prueba.',
			'limit-exceeded': 'El paquete supera lo que este dispositivo acepta, así que no se importó nada.',
			'profile-invalid': 'La descripción de un usuario en el paquete no es válida.',
			'history-inconsistent': 'El registro ya no amplía los puntos de control que firmó este dispositivo. Ejecute la verificación de integridad.',
			'integrity-failed': 'La verificación de integridad encontró expedientes que ya no coinciden con el registro.',
			'event-conflict': 'Se registró otro cambio al mismo tiempo. Recargue la página e inténtelo de nuevo.',
			'not-found': 'Esto no está en este dispositivo.',
			'out-of-range': 'Esta posición no está en el registro.',
			'quota-exceeded': 'Al dispositivo no le queda espacio de almacenamiento, así que no se guardó nada. Libere espacio e inténtelo de nuevo.',
			'storage-failed': 'El almacenamiento del dispositivo no pudo completar la operación. No se cambió nada; inténtelo de nuevo y recargue la página si sigue fallando.',
			'schema-outdated': 'Hay una versión más reciente de Casetrail abierta en otra pestaña. Recargue esta página.',
			'decryption-failed': 'No se pudo descifrar lo que hay almacenado en este dispositivo.',
			'not-signed-in': 'Inicie sesión primero.',
			forbidden: 'Su papel no permite esta acción.',
			'wrong-passphrase': 'Esta frase de contraseña o este PIN no es correcto.',
			'rate-limited': 'Demasiados intentos incorrectos: espere antes de volver a intentarlo.',
			'already-set-up': 'Este dispositivo ya está configurado.',
			'profile-revoked': 'Este usuario ya no está en este dispositivo.',
			'passphrase-required': 'Inicie sesión con su frase de contraseña.',
			'form-malformed': 'Este archivo no es un XForm, o está dañado.',
			'form-unsupported': 'Este formulario usa algo que Casetrail no admite.',
			'form-invalid': 'La definición de este formulario no es válida.',
			'form-not-found': 'Esta versión del formulario no está en este dispositivo.',
			'form-version-exists': 'Esta versión del formulario ya está publicada con otro contenido. Aumente la versión.',
			'form-evaluation-failed': 'Este formulario no puede calcularse en este dispositivo. Pida una versión corregida a quien lo publicó.',
			'submission-invalid': 'Algunas respuestas no cumplen el formulario; no se guardó nada.'
		},
		problems: {
			required: (field) => `${field}: este campo es obligatorio.`,
			notText: (field) => `${field}: este campo debe ser texto.`,
			tooLong: (field, max) => `${field}: como máximo ${p(max, { one: '# carácter', other: '# caracteres' })}.`,
			invalid: (field) => `${field}: el valor no tiene la forma esperada.`,
			unknownField: (field) => `${field} no es un campo de este expediente.`,
			refused: (field) => `${field}: este valor no puede aceptarse tal como está.`
		},
		integrity: {
			'leaf-mismatch': 'El evento ya no da el hash de hoja guardado con él.',
			'field-mismatch': 'Una copia guardada junto al evento difiere del propio evento.',
			unreadable: 'El evento ya no se puede leer.',
			missing: 'Falta el evento en el registro.',
			'beyond-head': 'Hay eventos almacenados más allá del final del registro.',
			'node-mismatch': 'Un nodo almacenado del árbol de Merkle difiere del calculado a partir de los eventos.',
			'head-mismatch': 'La cabeza almacenada del registro difiere de la calculada a partir de los eventos.',
			'head-unauthenticated': 'La cabeza almacenada del registro no se escribió con la clave de este dispositivo.',
			'checkpoint-missing': 'Se eliminaron puntos de control firmados por este dispositivo.',
			'checkpoint-beyond-log': 'Un punto de control firmado por este dispositivo es mayor que el registro: se eliminaron eventos.',
			'checkpoint-inconsistent': 'El registro ya no amplía un punto de control firmado por este dispositivo.',
			'checkpoint-invalid': 'Un punto de control almacenado no lo firmó este dispositivo.',
			'record-mismatch': 'Un expediente almacenado difiere de lo que dicen sus eventos.',
			'attachment-mismatch': 'Una foto o firma almacenada difiere de la que registró su evento.',
			'attachment-missing': 'Falta en el dispositivo una foto o firma que registró un evento.'
		},
		skips: {
			'invalid-event': 'Al evento le falta un elemento obligatorio, o uno es de un tipo incorrecto.',
			'wrong-entity': 'El evento pertenece a otro expediente.',
			'version-unsupported': 'El evento se escribió con una versión del esquema que esta versión de la aplicación no sabe leer.',
			'no-applier': 'Esta versión no conoce este tipo de evento; el evento se conserva en el registro.',
			'entity-exists': 'El evento crea un expediente que ya existe.',
			'entity-missing': 'El evento modifica un expediente que aún no existe.',
			'type-mismatch': 'El tipo de evento no corresponde al tipo del expediente.',
			'invalid-data': 'A los datos del evento les falta un campo necesario, o uno es de un tipo incorrecto.',
			'not-a-member': 'El miembro que se quiere retirar no pertenece al hogar.',
			'already-deleted': 'El expediente ya está eliminado.',
			'duplicate-event': 'El mismo evento ya se aplicó.',
			'applier-failed': 'No se pudo aplicar el evento; el expediente quedó como estaba.'
		},
		expects: {
			sex: 'El sexo debe ser una de las opciones.',
			dateOfBirth: 'La fecha de nacimiento debe ser una fecha real, no futura, de hace como máximo 150 años.',
			phone: 'El teléfono solo puede contener dígitos, espacios y un + al principio, entre 6 y 15 dígitos.',
			nationalId: 'El documento de identidad solo puede contener letras, dígitos, espacios, puntos, barras y guiones.',
			photo: 'La foto debe ser una imagen JPEG, WebP o PNG tomada o elegida en este dispositivo.',
			attachment: 'Una foto o firma debe ser una imagen JPEG, WebP o PNG tomada o elegida en este dispositivo.',
			location: 'La ubicación debe tener una latitud entre -90 y 90, una longitud entre -180 y 180 y una precisión en metros.'
		}
	}
};

export default catalog;

<?php
// This file is part of Moodle - https://moodle.org/
//
// Moodle is free software: you can redistribute it and/or modify
// it under the terms of the GNU General Public License as published by
// the Free Software Foundation, either version 3 of the License, or
// (at your option) any later version.
//
// Moodle is distributed in the hope that it will be useful,
// but WITHOUT ANY WARRANTY; without even the implied warranty of
// MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
// GNU General Public License for more details.
//
// You should have received a copy of the GNU General Public License
// along with Moodle.  If not, see <https://www.gnu.org/licenses/>.

/**
 * Strings for local_coursemesh, language es.
 *
 * @package    local_coursemesh
 * @copyright  2026 CourseMesh contributors
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

$string['apitoken'] = 'Token de la API';
$string['apitoken_desc'] = 'El token bearer que el nodo CourseMesh acepta para los envíos de cursos de este sitio.';
$string['badquery'] = 'La búsqueda no se ha aceptado: {$a}';
$string['categories'] = 'Categorías compartidas';
$string['categories_desc'] = 'Se usa cuando solo se comparten las categorías elegidas. Incluye las subcategorías.';
$string['country'] = 'País';
$string['country_desc'] = 'El país de este sitio, ofrecido como filtro en la página de búsqueda.';
$string['coursemesh:search'] = 'Buscar cursos de otros sitios CourseMesh';
$string['facet_category'] = 'Categoría';
$string['facet_country'] = 'País';
$string['facet_language'] = 'Idioma';
$string['facet_site'] = 'Sitio';
$string['filters'] = 'Filtros';
$string['missingterms'] = 'Ningún curso contiene: {$a}';
$string['noresults'] = 'No se han encontrado cursos. Pruebe con menos palabras o más generales, o quite los filtros.';
$string['onlymycountry'] = 'Solo cursos de {$a}';
$string['openenrolment'] = 'Matrícula abierta';
$string['pagination'] = 'Páginas de resultados';
$string['partialresults'] = 'Algunos nodos de CourseMesh no respondieron a tiempo; los resultados pueden estar incompletos.';
$string['pluginname'] = 'CourseMesh: búsqueda federada de cursos';
$string['privacy:metadata:coursemesh_courses'] = 'Las descripciones de los cursos visibles se envían al servicio CourseMesh configurado para que otros campus puedan encontrarlos. No se envían datos personales: ni nombres, ni correos, ni docentes, ni registros de actividad.';
$string['privacy:metadata:coursemesh_courses:enrolledcount'] = 'Número de matrículas activas (solo un recuento) y si la automatrícula o el acceso de invitados están abiertos.';
$string['privacy:metadata:coursemesh_courses:fullname'] = 'Nombre completo y corto del curso, URL, nombres de categoría, idioma, formato y fechas.';
$string['privacy:metadata:coursemesh_courses:modules'] = 'Nombres y tipos de actividades y recursos visibles.';
$string['privacy:metadata:coursemesh_courses:summary'] = 'Resumen del curso en texto plano.';
$string['privacy:metadata:coursemesh_courses:tags'] = 'Etiquetas del curso.';
$string['privacy:metadata:coursemesh_search'] = 'Las búsquedas hechas en la página de búsqueda de CourseMesh se envían al servicio sin ninguna identidad de usuario.';
$string['privacy:metadata:coursemesh_search:query'] = 'Las palabras buscadas y los filtros elegidos.';
$string['resultsummary'] = '{$a->total} cursos de {$a->sites} sitios en {$a->ms} ms';
$string['searchlabel'] = 'Palabras a buscar en títulos, resúmenes, etiquetas y categorías de cursos';
$string['searchnav'] = 'Buscar en otros campus';
$string['searchtitle'] = 'Cursos de otros campus';
$string['serviceunavailable'] = 'El servicio de búsqueda de cursos no está disponible ahora. Inténtelo en unos minutos; si continúa, avise a la administración del sitio.';
$string['serviceurl'] = 'URL del servicio CourseMesh';
$string['serviceurl_desc'] = 'URL base del nodo CourseMesh de su campus, p. ej. https://mesh.example.edu. Los cursos se envían a {URL}/api/v1/courses y las búsquedas van a {URL}/api/v1/search.';
$string['sharemode'] = 'Cursos que se comparten';
$string['sharemode_all'] = 'Todos los cursos visibles';
$string['sharemode_categories'] = 'Solo los cursos visibles de las categorías elegidas';
$string['sharemode_desc'] = 'Los cursos ocultos, los cursos de categorías ocultas y la portada nunca se comparten.';
$string['starts'] = 'Empieza el {$a}';
$string['taskfullresync'] = 'Resincronización completa con CourseMesh';
$string['tasksynccategory'] = 'Enviar los cursos de una categoría a CourseMesh';
$string['tasksynccourse'] = 'Enviar un curso a CourseMesh';
$string['timeout'] = 'Tiempo de espera (segundos)';
$string['timeout_desc'] = 'Cuánto puede tardar una petición al servicio CourseMesh.';

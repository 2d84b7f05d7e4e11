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
 * Strings for local_coursemesh, language ca.
 *
 * @package    local_coursemesh
 * @copyright  2026 CourseMesh contributors
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

$string['apitoken'] = 'Testimoni de l\'API';
$string['apitoken_desc'] = 'El testimoni bearer que el node CourseMesh accepta per als enviaments de cursos d\'aquest lloc.';
$string['badquery'] = 'La cerca no s\'ha acceptat: {$a}';
$string['categories'] = 'Categories compartides';
$string['categories_desc'] = 'S\'usa quan només es comparteixen les categories triades. Inclou les subcategories.';
$string['country'] = 'País';
$string['country_desc'] = 'El país d\'aquest lloc, oferit com a filtre a la pàgina de cerca.';
$string['coursemesh:search'] = 'Cercar cursos d\'altres llocs CourseMesh';
$string['facet_category'] = 'Categoria';
$string['facet_country'] = 'País';
$string['facet_language'] = 'Llengua';
$string['facet_site'] = 'Lloc';
$string['filters'] = 'Filtres';
$string['missingterms'] = 'Cap curs no conté: {$a}';
$string['noresults'] = 'No s\'ha trobat cap curs. Proveu amb menys paraules o més generals, o traieu els filtres.';
$string['onlymycountry'] = 'Només cursos de {$a}';
$string['openenrolment'] = 'Matrícula oberta';
$string['pagination'] = 'Pàgines de resultats';
$string['partialresults'] = 'Alguns nodes de CourseMesh no han respost a temps; els resultats poden ser incomplets.';
$string['pluginname'] = 'CourseMesh: cerca federada de cursos';
$string['privacy:metadata:coursemesh_courses'] = 'Les descripcions dels cursos visibles s\'envien al servei CourseMesh configurat perquè altres campus els puguin trobar. No s\'hi envien dades personals: ni noms, ni correus, ni docents, ni registres d\'activitat.';
$string['privacy:metadata:coursemesh_courses:enrolledcount'] = 'Nombre de matrícules actives (només un recompte) i si l\'automatriculació o l\'accés de convidats són oberts.';
$string['privacy:metadata:coursemesh_courses:fullname'] = 'Nom complet i curt del curs, URL, noms de categoria, llengua, format i dates.';
$string['privacy:metadata:coursemesh_courses:modules'] = 'Noms i tipus d\'activitats i recursos visibles.';
$string['privacy:metadata:coursemesh_courses:summary'] = 'Resum del curs en text pla.';
$string['privacy:metadata:coursemesh_courses:tags'] = 'Etiquetes del curs.';
$string['privacy:metadata:coursemesh_search'] = 'Les cerques fetes a la pàgina de cerca de CourseMesh s\'envien al servei sense cap identitat d\'usuari.';
$string['privacy:metadata:coursemesh_search:query'] = 'Les paraules cercades i els filtres triats.';
$string['resultsummary'] = '{$a->total} cursos de {$a->sites} llocs en {$a->ms} ms';
$string['searchlabel'] = 'Paraules a cercar en títols, resums, etiquetes i categories de cursos';
$string['searchnav'] = 'Cercar en altres campus';
$string['searchtitle'] = 'Cursos d\'altres campus';
$string['serviceunavailable'] = 'El servei de cerca de cursos no està disponible ara. Torneu-ho a provar d\'aquí a uns minuts; si continua, aviseu l\'administració del lloc.';
$string['serviceurl'] = 'URL del servei CourseMesh';
$string['serviceurl_desc'] = 'URL base del node CourseMesh del vostre campus, p. ex. https://mesh.example.edu. Els cursos s\'envien a {URL}/api/v1/courses i les cerques van a {URL}/api/v1/search.';
$string['sharemode'] = 'Cursos que es comparteixen';
$string['sharemode_all'] = 'Tots els cursos visibles';
$string['sharemode_categories'] = 'Només els cursos visibles de les categories triades';
$string['sharemode_desc'] = 'Els cursos ocults, els cursos de categories ocultes i la portada no es comparteixen mai.';
$string['starts'] = 'Comença el {$a}';
$string['taskfullresync'] = 'Resincronització completa amb CourseMesh';
$string['tasksynccategory'] = 'Enviar els cursos d\'una categoria a CourseMesh';
$string['tasksynccourse'] = 'Enviar un curs a CourseMesh';
$string['timeout'] = 'Temps d\'espera (segons)';
$string['timeout_desc'] = 'Quant pot trigar una petició al servei CourseMesh.';

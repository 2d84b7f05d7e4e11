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
 * Strings for local_coursemesh, language en.
 *
 * @package    local_coursemesh
 * @copyright  2026 CourseMesh contributors
 * @license    https://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

$string['apitoken'] = 'API token';
$string['apitoken_desc'] = 'The bearer token the CourseMesh node accepts for course pushes from this site.';
$string['badquery'] = 'The search was not accepted: {$a}';
$string['categories'] = 'Shared categories';
$string['categories_desc'] = 'Used when only chosen categories are shared. Subcategories are included.';
$string['country'] = 'Country';
$string['country_desc'] = 'The country of this site, offered on the search page as a filter.';
$string['coursemesh:search'] = 'Search courses of other CourseMesh sites';
$string['facet_category'] = 'Category';
$string['facet_country'] = 'Country';
$string['facet_language'] = 'Language';
$string['facet_site'] = 'Site';
$string['filters'] = 'Filters';
$string['missingterms'] = 'No course contains: {$a}';
$string['noresults'] = 'No courses found. Try fewer or more general words, or remove the filters.';
$string['onlymycountry'] = 'Only courses from {$a}';
$string['openenrolment'] = 'Open enrolment';
$string['pagination'] = 'Result pages';
$string['partialresults'] = 'Some CourseMesh nodes did not answer in time; results may be incomplete.';
$string['pluginname'] = 'CourseMesh federated course search';
$string['privacy:metadata:coursemesh_courses'] = 'Descriptions of visible courses are sent to the configured CourseMesh service so that other campuses can find them. No personal data is sent: no names, e-mail addresses, teachers or activity logs.';
$string['privacy:metadata:coursemesh_courses:enrolledcount'] = 'Number of active enrolments (a count only) and whether self or guest enrolment is open.';
$string['privacy:metadata:coursemesh_courses:fullname'] = 'Course full and short name, URL, category names, language, format and dates.';
$string['privacy:metadata:coursemesh_courses:modules'] = 'Names and types of visible activities and resources.';
$string['privacy:metadata:coursemesh_courses:summary'] = 'Course summary as plain text.';
$string['privacy:metadata:coursemesh_courses:tags'] = 'Course tags.';
$string['privacy:metadata:coursemesh_search'] = 'Searches made on the CourseMesh search page are sent to the CourseMesh service without any user identity.';
$string['privacy:metadata:coursemesh_search:query'] = 'The words searched for and the chosen filters.';
$string['resultsummary'] = '{$a->total} courses from {$a->sites} sites in {$a->ms} ms';
$string['searchlabel'] = 'Words to search for in course titles, summaries, tags and categories';
$string['searchnav'] = 'Search other campuses';
$string['searchtitle'] = 'Courses on other campuses';
$string['serviceunavailable'] = 'The course search service is not available right now. Try again in a few minutes; if it persists, tell your site administrator.';
$string['serviceurl'] = 'CourseMesh service URL';
$string['serviceurl_desc'] = 'Base URL of your campus CourseMesh node, e.g. https://mesh.example.edu. Courses are pushed to {URL}/api/v1/courses and searches go to {URL}/api/v1/search.';
$string['sharemode'] = 'Courses to share';
$string['sharemode_all'] = 'All visible courses';
$string['sharemode_categories'] = 'Only visible courses in the chosen categories';
$string['sharemode_desc'] = 'Hidden courses, courses in hidden categories and the front page are never shared.';
$string['starts'] = 'Starts {$a}';
$string['taskfullresync'] = 'Full resync with CourseMesh';
$string['tasksynccategory'] = 'Send the courses of a category to CourseMesh';
$string['tasksynccourse'] = 'Send one course to CourseMesh';
$string['timeout'] = 'Request timeout (seconds)';
$string['timeout_desc'] = 'How long one request to the CourseMesh service may take.';

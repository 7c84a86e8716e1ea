// XForms as pyxform (the XLSForm converter behind KoboToolbox and ODK Central) writes them: the
// namespaces, itext translations, secondary instances for choice lists, meta/instanceID, jr:
// messages and entities declarations are laid out the way its output is.

/** A household survey in English and Arabic: skip logic, constraints, select lists, a calculation. */
export const HOUSEHOLD_SURVEY = `<?xml version="1.0" encoding="utf-8"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:ev="http://www.w3.org/2001/xml-events" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa" xmlns:odk="http://www.opendatakit.org/xforms" xmlns:orx="http://openrosa.org/xforms" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:entities="http://www.opendatakit.org/xforms/entities">
  <h:head>
    <h:title>Household survey</h:title>
    <model odk:xforms-version="1.0.0" entities:entities-version="2024.1.0">
      <itext>
        <translation default="true()" lang="English (en)">
          <text id="/data/head_name:label">
            <value>Name of the head of household</value>
          </text>
          <text id="/data/head_name:hint">
            <value>As written on their identity card</value>
          </text>
          <text id="/data/size:label">
            <value>How many people live in the household?</value>
          </text>
          <text id="/data/size:jr:constraintMsg">
            <value>Between 1 and 30 people</value>
          </text>
          <text id="/data/children:label">
            <value>How many of them are children?</value>
          </text>
          <text id="/data/children:jr:constraintMsg">
            <value>Cannot be more than the household size</value>
          </text>
          <text id="/data/water:label">
            <value>Main source of water</value>
          </text>
          <text id="/data/water_other:label">
            <value>Which other source?</value>
          </text>
          <text id="/data/vulnerabilities/assets:label">
            <value>What does the household own?</value>
          </text>
          <text id="/data/vulnerabilities:label">
            <value>Vulnerability</value>
          </text>
          <text id="/data/vulnerabilities/visit_date:label">
            <value>Date of the visit</value>
          </text>
          <text id="/data/vulnerabilities/visit_date:jr:constraintMsg">
            <value>The visit cannot be in the future</value>
          </text>
          <text id="/data/summary:label">
            <value>Adults: <output value=" /data/adults "/></value>
          </text>
          <text id="water-0"><value>Piped water</value></text>
          <text id="water-1"><value>Well</value></text>
          <text id="water-2"><value>Other</value></text>
          <text id="assets-0"><value>Radio</value></text>
          <text id="assets-1"><value>Bicycle</value></text>
          <text id="assets-2"><value>Livestock</value></text>
        </translation>
        <translation lang="Arabic (ar)">
          <text id="/data/head_name:label">
            <value>اسم رب الأسرة</value>
          </text>
          <text id="/data/head_name:hint">
            <value>كما هو مكتوب في بطاقة الهوية</value>
          </text>
          <text id="/data/size:label">
            <value>كم عدد أفراد الأسرة؟</value>
          </text>
          <text id="/data/size:jr:constraintMsg">
            <value>بين 1 و 30 شخصا</value>
          </text>
          <text id="/data/children:label">
            <value>كم عدد الأطفال منهم؟</value>
          </text>
          <text id="/data/children:jr:constraintMsg">
            <value>لا يمكن أن يتجاوز حجم الأسرة</value>
          </text>
          <text id="/data/water:label">
            <value>المصدر الرئيسي للمياه</value>
          </text>
          <text id="/data/water_other:label">
            <value>ما هو المصدر الآخر؟</value>
          </text>
          <text id="/data/vulnerabilities/assets:label">
            <value>ماذا تملك الأسرة؟</value>
          </text>
          <text id="/data/vulnerabilities:label">
            <value>الهشاشة</value>
          </text>
          <text id="/data/vulnerabilities/visit_date:label">
            <value>تاريخ الزيارة</value>
          </text>
          <text id="/data/vulnerabilities/visit_date:jr:constraintMsg">
            <value>لا يمكن أن تكون الزيارة في المستقبل</value>
          </text>
          <text id="/data/summary:label">
            <value>البالغون: <output value=" /data/adults "/></value>
          </text>
          <text id="water-0"><value>مياه الأنابيب</value></text>
          <text id="water-1"><value>بئر</value></text>
          <text id="water-2"><value>أخرى</value></text>
          <text id="assets-0"><value>راديو</value></text>
          <text id="assets-1"><value>دراجة</value></text>
          <text id="assets-2"><value>مواشي</value></text>
        </translation>
      </itext>
      <instance>
        <data id="household_survey" version="2026120101">
          <head_name/>
          <size/>
          <children>0</children>
          <adults/>
          <water/>
          <water_other/>
          <vulnerabilities>
            <assets/>
            <visit_date/>
          </vulnerabilities>
          <summary/>
          <meta>
            <instanceID/>
            <entity create="1" dataset="households" id="">
              <label/>
            </entity>
          </meta>
        </data>
      </instance>
      <instance id="water">
        <root>
          <item>
            <itextId>water-0</itextId>
            <name>piped</name>
          </item>
          <item>
            <itextId>water-1</itextId>
            <name>well</name>
          </item>
          <item>
            <itextId>water-2</itextId>
            <name>other</name>
          </item>
        </root>
      </instance>
      <instance id="assets">
        <root>
          <item>
            <itextId>assets-0</itextId>
            <name>radio</name>
          </item>
          <item>
            <itextId>assets-1</itextId>
            <name>bicycle</name>
          </item>
          <item>
            <itextId>assets-2</itextId>
            <name>livestock</name>
          </item>
        </root>
      </instance>
      <bind nodeset="/data/head_name" type="string" required="true()"/>
      <bind nodeset="/data/size" type="int" required="true()" constraint=". &gt;= 1 and . &lt;= 30" jr:constraintMsg="jr:itext('/data/size:jr:constraintMsg')" entities:saveto="size"/>
      <bind nodeset="/data/children" type="int" constraint=". &lt;=  /data/size " jr:constraintMsg="jr:itext('/data/children:jr:constraintMsg')"/>
      <bind nodeset="/data/adults" type="string" calculate=" /data/size  -  /data/children "/>
      <bind nodeset="/data/water" type="string" required="true()"/>
      <bind nodeset="/data/water_other" type="string" relevant=" /data/water  = 'other'" required="true()"/>
      <bind nodeset="/data/vulnerabilities" relevant=" /data/size  &gt; 2"/>
      <bind nodeset="/data/vulnerabilities/assets" type="string"/>
      <bind nodeset="/data/vulnerabilities/visit_date" type="date" constraint=". &lt;= today()" jr:constraintMsg="jr:itext('/data/vulnerabilities/visit_date:jr:constraintMsg')"/>
      <bind nodeset="/data/summary" readonly="true()" type="string"/>
      <bind jr:preload="uid" nodeset="/data/meta/instanceID" readonly="true()" type="string"/>
      <bind calculate=" /data/head_name " nodeset="/data/meta/entity/label" readonly="true()" type="string"/>
      <bind nodeset="/data/meta/entity/@id" readonly="true()" type="string"/>
    </model>
  </h:head>
  <h:body>
    <input ref="/data/head_name">
      <label ref="jr:itext('/data/head_name:label')"/>
      <hint ref="jr:itext('/data/head_name:hint')"/>
    </input>
    <input ref="/data/size">
      <label ref="jr:itext('/data/size:label')"/>
    </input>
    <input ref="/data/children">
      <label ref="jr:itext('/data/children:label')"/>
    </input>
    <select1 ref="/data/water">
      <label ref="jr:itext('/data/water:label')"/>
      <itemset nodeset="instance('water')/root/item">
        <value ref="name"/>
        <label ref="jr:itext(itextId)"/>
      </itemset>
    </select1>
    <input ref="/data/water_other">
      <label ref="jr:itext('/data/water_other:label')"/>
    </input>
    <group ref="/data/vulnerabilities">
      <label ref="jr:itext('/data/vulnerabilities:label')"/>
      <select ref="/data/vulnerabilities/assets">
        <label ref="jr:itext('/data/vulnerabilities/assets:label')"/>
        <itemset nodeset="instance('assets')/root/item">
          <value ref="name"/>
          <label ref="jr:itext(itextId)"/>
        </itemset>
      </select>
      <input ref="/data/vulnerabilities/visit_date">
        <label ref="jr:itext('/data/vulnerabilities/visit_date:label')"/>
      </input>
    </group>
    <input ref="/data/summary">
      <label ref="jr:itext('/data/summary:label')"/>
    </input>
  </h:body>
</h:html>
`;

/**
 * An individual registration in one language (no itext): the entity properties Casetrail's list,
 * search and duplicate warning read, a required message, a hint and a decimal.
 */
export function individualRegistration(version = '1', extraLabel = 'Given name'): string {
	return `<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa" xmlns:odk="http://www.opendatakit.org/xforms" xmlns:entities="http://www.opendatakit.org/xforms/entities">
  <h:head>
    <h:title>Beneficiary registration</h:title>
    <model odk:xforms-version="1.0.0" entities:entities-version="2024.1.0">
      <instance>
        <data id="beneficiary" version="${version}">
          <first_name/>
          <last_name/>
          <sex/>
          <dob/>
          <phone/>
          <income/>
          <meta>
            <instanceID/>
            <entity create="1" dataset="individuals" id="">
              <label/>
            </entity>
          </meta>
        </data>
      </instance>
      <instance id="sex">
        <root>
          <item>
            <label>Female</label>
            <name>female</name>
          </item>
          <item>
            <label>Male</label>
            <name>male</name>
          </item>
        </root>
      </instance>
      <bind nodeset="/data/first_name" type="string" required="true()" jr:requiredMsg="Please write the given name" entities:saveto="givenName"/>
      <bind nodeset="/data/last_name" type="string" required="true()" entities:saveto="familyName"/>
      <bind nodeset="/data/sex" type="string" required="true()" entities:saveto="sex"/>
      <bind nodeset="/data/dob" type="date" required="true()" constraint=". &lt;= today()" jr:constraintMsg="Date of birth cannot be in the future" entities:saveto="dateOfBirth"/>
      <bind nodeset="/data/phone" type="string" constraint="regex(., '^[0-9+ ]{6,20}$')" jr:constraintMsg="Digits only" entities:saveto="phone"/>
      <bind nodeset="/data/income" type="decimal" constraint=". &gt;= 0"/>
      <bind jr:preload="uid" nodeset="/data/meta/instanceID" readonly="true()" type="string"/>
      <bind calculate="concat( /data/first_name , ' ',  /data/last_name )" nodeset="/data/meta/entity/label" readonly="true()" type="string"/>
    </model>
  </h:head>
  <h:body>
    <input ref="/data/first_name">
      <label>${extraLabel}</label>
    </input>
    <input ref="/data/last_name">
      <label>Family name</label>
    </input>
    <select1 ref="/data/sex">
      <label>Sex</label>
      <itemset nodeset="instance('sex')/root/item">
        <value ref="name"/>
        <label ref="label"/>
      </itemset>
    </select1>
    <input ref="/data/dob">
      <label>Date of birth</label>
    </input>
    <input ref="/data/phone">
      <label>Phone</label>
      <hint>With the country code</hint>
    </input>
    <input ref="/data/income">
      <label>Monthly income</label>
    </input>
  </h:body>
</h:html>
`;
}

/** A follow-up visit (no entity declaration: the publisher says it records a visit), with inline items. */
export const FOLLOW_UP_VISIT = `<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa" xmlns:odk="http://www.opendatakit.org/xforms">
  <h:head>
    <h:title>Follow-up visit</h:title>
    <model odk:xforms-version="1.0.0">
      <instance>
        <data id="follow_up" version="3">
          <seen/>
          <condition/>
          <notes/>
          <meta>
            <instanceID/>
          </meta>
        </data>
      </instance>
      <bind nodeset="/data/seen" type="string" required="true()"/>
      <bind nodeset="/data/condition" type="string" relevant="selected( /data/seen , 'yes')" required="true()"/>
      <bind nodeset="/data/notes" type="string"/>
      <bind calculate="concat('uuid:', uuid())" nodeset="/data/meta/instanceID" readonly="true()" type="string"/>
    </model>
  </h:head>
  <h:body>
    <select1 ref="/data/seen">
      <label>Was the person seen?</label>
      <item>
        <label>Yes</label>
        <value>yes</value>
      </item>
      <item>
        <label>No</label>
        <value>no</value>
      </item>
    </select1>
    <input ref="/data/condition">
      <label>How are they?</label>
    </input>
    <input ref="/data/notes">
      <label>Notes</label>
    </input>
  </h:body>
</h:html>
`;

/** Things Casetrail refuses: a repeat count, a geotrace, a choice filter and an unknown function. */
export const UNSUPPORTED = `<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa">
  <h:head>
    <h:title>Too much</h:title>
    <model>
      <instance>
        <data id="too_much" version="1">
          <location/>
          <district/>
          <village/>
          <score/>
          <members jr:template="">
            <member_name/>
          </members>
          <members>
            <member_name/>
          </members>
          <meta><instanceID/></meta>
        </data>
      </instance>
      <instance id="village">
        <root>
          <item><name>a</name><label>A</label><district>d1</district></item>
        </root>
      </instance>
      <bind nodeset="/data/location" type="geotrace"/>
      <bind nodeset="/data/district" type="string"/>
      <bind nodeset="/data/village" type="string"/>
      <bind nodeset="/data/score" type="string" calculate="pulldata('scores', 'x', 'y', 'z')"/>
      <bind nodeset="/data/members/member_name" type="string"/>
    </model>
  </h:head>
  <h:body>
    <input ref="/data/location"><label>Where?</label></input>
    <input ref="/data/district"><label>District</label></input>
    <select1 ref="/data/village">
      <label>Village</label>
      <itemset nodeset="instance('village')/root/item[district= /data/district ]">
        <value ref="name"/>
        <label ref="label"/>
      </itemset>
    </select1>
    <group ref="/data/members">
      <label>Members</label>
      <repeat jr:count="2" nodeset="/data/members">
        <input ref="/data/members/member_name"><label>Name</label></input>
      </repeat>
    </group>
  </h:body>
</h:html>
`;

/** An update form as pyxform writes it from `entity_list_name` and `entity_id`: the record is chosen from the entity list. */
export const UPDATE_PHONE = `<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa" xmlns:odk="http://www.opendatakit.org/xforms" xmlns:entities="http://www.opendatakit.org/xforms/entities">
  <h:head>
    <h:title>Update phone</h:title>
    <model odk:xforms-version="1.0.0" entities:entities-version="2024.1.0">
      <instance>
        <data id="update_phone" version="2">
          <person/>
          <phone/>
          <meta>
            <instanceID/>
            <entity baseVersion="" branchId="" dataset="people" id="" trunkVersion="" update="1"/>
          </meta>
        </data>
      </instance>
      <instance id="people" src="jr://file-csv/people.csv"/>
      <bind nodeset="/data/person" type="string"/>
      <bind nodeset="/data/phone" type="string" required="true()" entities:saveto="phone"/>
      <bind jr:preload="uid" nodeset="/data/meta/instanceID" readonly="true()" type="string"/>
      <bind calculate=" /data/person " nodeset="/data/meta/entity/@id" readonly="true()" type="string"/>
      <bind calculate="instance('people')/root/item[name= /data/person ]/__version" nodeset="/data/meta/entity/@baseVersion" readonly="true()" type="string"/>
    </model>
  </h:head>
  <h:body>
    <select1 ref="/data/person">
      <label>Person</label>
      <itemset nodeset="instance('people')/root/item">
        <value ref="name"/>
        <label ref="label"/>
      </itemset>
    </select1>
    <input ref="/data/phone">
      <label>New phone number</label>
    </input>
  </h:body>
</h:html>
`;

/** A household and its members, a repeat as pyxform writes it (template, then one instance), with calculations in and over it. */
export const HOUSEHOLD_MEMBERS = `<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa" xmlns:odk="http://www.opendatakit.org/xforms" xmlns:entities="http://www.opendatakit.org/xforms/entities">
  <h:head>
    <h:title>Household members</h:title>
    <model odk:xforms-version="1.0.0" entities:entities-version="2024.1.0">
      <instance>
        <data id="household_members" version="1">
          <name/>
          <members jr:template="">
            <member_name/>
            <member_age/>
            <is_child/>
            <school/>
          </members>
          <members>
            <member_name/>
            <member_age/>
            <is_child/>
            <school/>
          </members>
          <member_count/>
          <total_age/>
          <meta>
            <instanceID/>
            <entity create="1" dataset="households" id="">
              <label/>
            </entity>
          </meta>
        </data>
      </instance>
      <bind nodeset="/data/name" type="string" required="true()"/>
      <bind nodeset="/data/members/member_name" type="string" required="true()"/>
      <bind nodeset="/data/members/member_age" type="int" constraint=". &gt;= 0 and . &lt;= 120" jr:constraintMsg="Age is between 0 and 120"/>
      <bind nodeset="/data/members/is_child" type="string" calculate="if( ../member_age  &lt; 18, 'yes', 'no')"/>
      <bind nodeset="/data/members/school" type="string" relevant=" ../is_child  = 'yes'"/>
      <bind nodeset="/data/member_count" type="string" calculate="count( /data/members )"/>
      <bind nodeset="/data/total_age" type="string" calculate="sum( /data/members/member_age )"/>
      <bind jr:preload="uid" nodeset="/data/meta/instanceID" readonly="true()" type="string"/>
      <bind calculate=" /data/name " nodeset="/data/meta/entity/label" readonly="true()" type="string"/>
    </model>
  </h:head>
  <h:body>
    <input ref="/data/name">
      <label>Household name</label>
    </input>
    <group ref="/data/members">
      <label>Members</label>
      <repeat nodeset="/data/members">
        <input ref="/data/members/member_name">
          <label>Name</label>
        </input>
        <input ref="/data/members/member_age">
          <label>Age</label>
        </input>
        <input ref="/data/members/school">
          <label>School</label>
        </input>
      </repeat>
    </group>
  </h:body>
</h:html>
`;

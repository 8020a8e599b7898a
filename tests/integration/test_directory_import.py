"""cairn import postcodes: a small file in the ONS Postcode Directory's layout, written
here; terminated postcodes and those without a location skipped; spacing and case
normalised; a malformed line named, and nothing half-imported."""

import os
import unittest

from tests.integration.directory_support import results, search
from tests.integration.harness import CASE_WORKER, ServerTestCase, run_cli
from tests.integration.sessions_support import staff

# The ONSPD's first columns, as published (a subset of the real header, same names).
HEADER = "pcd,pcd2,pcds,dointr,doterm,oscty,ced,oslaua,osward,usertype,oseast1m,osnrth1m,osgrdind,lat,long"


def row(pcd, pcds, doterm="", lat="55.9", lon="-3.2"):
    return '"%s","%s","%s","199801","%s","S99999999","S99999999","S12000036","S13002922","0","325000","674000","1",%s,%s' % (
        pcd, pcd, pcds, doterm, lat, lon)


class ImportPostcodes(ServerTestCase):

    def write(self, name, lines):
        path = os.path.join(self.server.tmp, name)
        with open(path, "w", newline="") as f:
            f.write("\r\n".join(lines) + "\r\n")
        return path

    def run_import(self, path):
        return run_cli("import", "postcodes", "--db", self.server.db, path)

    def count(self):
        return self.server.scalar("SELECT count(*) FROM postcode")

    def test_import_and_search(self):
        path = self.write("onspd.csv", [
            HEADER,
            row("EH1 3AA", "EH1 3AA", lat="55.953600", lon="-3.190300"),
            row("eh1  3ab", "eh1 3ab", lat="55.954100", lon="-3.189000"),   # case and spacing
            row("EH991AB", "EH991AB", doterm="201506"),                     # terminated
            row("EH1 3AD", "EH1 3AD", lat="99.999999", lon="0.000000"),     # no location
            row("KY1 9ZZ", "KY1 9ZZ", lat="56.100000", lon="-3.150000"),
        ])
        r = self.run_import(path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("imported 3 postcodes; skipped 1 terminated and 1 without a location", r.stdout)
        got = {x["postcode"]: (x["latitude"], x["longitude"]) for x in
               self.server.sql("SELECT * FROM postcode WHERE postcode IN ('EH1 3AA', 'EH1 3AB', 'EH99 1AB', 'EH1 3AD', 'KY1 9ZZ')")}
        self.assertEqual(got, {"EH1 3AA": (55.9536, -3.1903), "EH1 3AB": (55.9541, -3.189),
                               "KY1 9ZZ": (56.1, -3.15)})
        # The running server finds services near a postcode just imported.
        cw = staff(self.server, CASE_WORKER)
        r = search(cw, postcode="ky1 9zz", miles="5")
        self.assertEqual(r.status, 200)
        self.assertIn("Community garden placements", [n for _, n, _, _ in results(r.text)])
        # Terminated: not known.
        r = search(cw, postcode="EH99 1AB", miles="5")
        self.assertEqual(r.status, 400)
        self.assertIn("We do not know the postcode EH99 1AB", r.text)
        # Importing again replaces, duplicating nothing.
        before = self.count()
        self.assertEqual(self.run_import(path).returncode, 0)
        self.assertEqual(self.count(), before)

    def test_nspl_header_and_quoted_header(self):
        path = self.write("nspl.csv", ['\ufeff"pcd","pcd2","pcds","dointr","doterm","lat","long"',
                                       '"G5  0AA","G5  0AA","G5 0AA","200001","",55.85,-4.25'])
        r = self.run_import(path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.server.scalar("SELECT latitude FROM postcode WHERE postcode = 'G5 0AA'"), 55.85)

    def test_malformed_lines_import_nothing(self):
        before = self.count()
        cases = [
            ([HEADER, row("AB1 2CD", "AB1 2CD"), row("AB1 2CE", "AB1 2CE", lat="north")],
             "line 3: latitude \"north\""),
            ([HEADER, row("AB1 2CD", "AB1 2CD"), row("AB1 2CE", "AB1 2CE"), row("NOTAPC", "NOTAPC")],
             "line 4: \"NOTAPC\" is not a UK postcode"),
            ([HEADER, row("AB1 2CD", "AB1 2CD"), '"AB1 2CF","x"'], "line 3 has 2 fields; the header has 15"),
            ([HEADER, row("AB1 2CD", "AB1 2CD"), '"AB1 2CF,' + "x" * 20], "line 3: a quoted field is not closed"),
            ([HEADER, row("AB1 2CD", "AB1 2CD", lat="95.5")], "line 2: latitude"),
            ([HEADER, row("AB1 2CD", "AB1 2CD", lon="-200")], "line 2: latitude"),
            (["postcode,latitude,longitude", "AB1 2CD,57.1,-2.1"], "line 1: the header must name the columns pcds (or pcd), lat and long"),
            ([], "is empty"),
        ]
        for i, (lines, message) in enumerate(cases):
            path = self.write("bad%d.csv" % i, lines) if lines else self.write("bad%d.csv" % i, [])
            if not lines:
                open(path, "w").close()
            r = self.run_import(path)
            self.assertNotEqual(r.returncode, 0, message)
            self.assertIn(message, r.stderr)
            self.assertEqual(self.count(), before, message)
            self.assertIsNone(self.server.scalar("SELECT postcode FROM postcode WHERE postcode LIKE 'AB1 2C%'"))
        r = run_cli("import", "postcodes", "--db", self.server.db, "/nonexistent/file.csv")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("cannot open", r.stderr)
        r = run_cli("import", "postcodes", "--db", self.server.db)
        self.assertEqual(r.returncode, 2)


if __name__ == "__main__":
    unittest.main()

// FtpMlsdEntry.cs: one MLSD entry with its raw facts (FtpClient.Mlsd).

using System;
using System.Collections.Generic;

namespace LibFtp
{
    /// <summary>One MLSD entry: its name and its facts (names lowercased).
    /// GetListing gives the same entries parsed, on any server.</summary>
    public sealed class FtpListEntry
    {
        public string Name { get; private set; }
        public IDictionary<string, string> Facts { get; private set; }

        internal FtpListEntry(string name, IDictionary<string, string> facts)
        {
            Name = name;
            Facts = facts;
        }

        string Fact(string key)
        {
            string v;
            return Facts.TryGetValue(key, out v) ? v : null;
        }

        /// <summary>The "type" fact ("file", "dir", "cdir", "pdir", ...) or null.</summary>
        public string Type { get { return Fact("type"); } }

        /// <summary>The "size" fact, or null when absent or not a number.</summary>
        public long? Size
        {
            get
            {
                long n;
                string v = Fact("size");
                return v != null && long.TryParse(v, out n) ? n : (long?)null;
            }
        }

        /// <summary>The "modify" fact as a UTC DateTime, or null when absent or
        /// malformed (the text stays in Facts["modify"]).</summary>
        public DateTime? Modify { get { return FtpTime.ParseMlsd(Fact("modify")); } }

        public override string ToString() { return Name; }
    }
}

using System.Text;
using CloudArchive.Core.Keys;

namespace CloudArchive.Core.Ingest;

/// <summary>
/// Everything derived from the index key: opaque study/series/instance keys, the patient pseudonym and the content
/// MAC key. Derivations are domain-separated by a NUL-prefixed label, which no UID can contain.
/// </summary>
internal sealed class IngestKeys : IDisposable
{
    private readonly OpaqueKeyNamer _namer;

    public IngestKeys(OpaqueKeyNamer namer)
    {
        _namer = namer;
        Mac = new ContentMac(Encoding.ASCII.GetBytes(namer.NameFor("\0cloudarchive:content-mac:v1")));
    }

    public ContentMac Mac { get; }

    public string ForUid(string uid) => _namer.NameFor(uid);

    /// <summary>The pseudonym of a patient id within its issuer, or null without a patient id.</summary>
    public string? PatientPseudonym(string? patientId, string? issuer) => PatientPseudonymizer.Pseudonym(_namer, patientId, issuer);

    /// <summary>The accession pseudonym (the <c>ca_accession</c> tag), or null without an accession number.</summary>
    public string? AccessionPseudonym(string? accessionNumber) => AccessionPseudonymizer.Pseudonym(_namer, accessionNumber);

    public void Dispose()
    {
        Mac.Dispose();
        _namer.Dispose();
    }
}

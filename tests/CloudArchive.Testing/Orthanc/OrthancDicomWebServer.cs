namespace CloudArchive.Testing.Orthanc;

/// <summary>A remote DICOMweb server in Orthanc's configuration (<c>DicomWeb.Servers.{name}</c>).</summary>
/// <param name="Url">The service root, e.g. <c>http://127.0.0.1:5000/api/dicomweb/</c> (with the trailing slash).</param>
/// <param name="HttpHeaders">Headers Orthanc sends with every request (e.g. <c>Authorization: Bearer ...</c>).</param>
public sealed record OrthancDicomWebServer(Uri Url, IReadOnlyDictionary<string, string> HttpHeaders);

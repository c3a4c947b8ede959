using Xunit;

namespace CloudArchive.Functions.Tests.DicomWeb.Clinical;

/// <summary>One Azurite, one ingested archive and one app for the clinical DICOMweb tests.</summary>
[CollectionDefinition(Name)]
public sealed class ClinicalDicomWebCollection : ICollectionFixture<ClinicalDicomWebFixture>
{
    public const string Name = "clinical-dicomweb";
}

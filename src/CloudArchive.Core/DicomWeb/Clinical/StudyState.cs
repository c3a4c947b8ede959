namespace CloudArchive.Core.DicomWeb.Clinical;

/// <summary>What the keyring says about a study a request names.</summary>
public enum StudyState
{
    /// <summary>The study has a key: it is (or was being) archived.</summary>
    Present,

    /// <summary>No key and no tombstone: the archive never held it.</summary>
    Unknown,

    /// <summary>The study was crypto-shredded: its key is destroyed (answered 410 Gone).</summary>
    Shredded,
}

namespace CloudArchive.Deidentification;

/// <summary>The ten options of PS3.15 E.3 that Table E.1-1 has columns for.</summary>
public enum DeidOption
{
    /// <summary>Retain Safe Private Option (E.3.10), CID 7050 code 113111.</summary>
    RetainSafePrivate,

    /// <summary>Retain UIDs Option (E.3.9), code 113110.</summary>
    RetainUids,

    /// <summary>Retain Device Identity Option (E.3.8), code 113109.</summary>
    RetainDeviceIdentity,

    /// <summary>Retain Institution Identity Option (E.3.11), code 113112.</summary>
    RetainInstitutionIdentity,

    /// <summary>Retain Patient Characteristics Option (E.3.7), code 113108.</summary>
    RetainPatientCharacteristics,

    /// <summary>Retain Longitudinal Temporal Information With Full Dates Option (E.3.6), code 113106.</summary>
    RetainLongitudinalFullDates,

    /// <summary>Retain Longitudinal Temporal Information With Modified Dates Option (E.3.6), code 113107.</summary>
    RetainLongitudinalModifiedDates,

    /// <summary>Clean Descriptors Option (E.3.5), code 113105.</summary>
    CleanDescriptors,

    /// <summary>Clean Structured Content Option (E.3.4), code 113104.</summary>
    CleanStructuredContent,

    /// <summary>Clean Graphics Option (E.3.3), code 113103.</summary>
    CleanGraphics,
}

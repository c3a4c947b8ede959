using System.Globalization;
using CloudArchive.Dicom;

namespace CloudArchive.Deidentification;

/// <summary>
/// The identifying strings of one instance, gathered from the ORIGINAL dataset before any action runs: every person
/// name (and its components), patient/other IDs, accession number, institution, addresses, phone numbers, device
/// identity, study/procedure IDs and the birth date in common written forms. Cleaning (C) and the residual sweep of
/// kept text remove any occurrence of these, so a name typed into a description cannot pass.
/// </summary>
public sealed class IdentifierTokens
{
    /// <summary>Tokens this long or longer match anywhere inside a value; shorter ones only as whole words.</summary>
    public const int SubstringMinimumLength = 4;

    private static readonly HashSet<uint> IdentifierTags =
    [
        DicomTags.PatientID.Value,
        DicomTags.OtherPatientIDs.Value,
        DicomTags.IssuerOfPatientID.Value,
        DicomTags.AccessionNumber.Value,
        DicomTags.PatientAddress.Value,
        DicomTags.PatientTelephoneNumbers.Value,
        DicomTags.PatientTelecomInformation.Value,
        DicomTags.MedicalRecordLocator.Value,
        DicomTags.RegionOfResidence.Value,
        DicomTags.MilitaryRank.Value,
        DicomTags.BranchOfService.Value,
        DicomTags.ResponsibleOrganization.Value,
        DicomTags.StudyID.Value,
        DicomTags.AdmissionID.Value,
        DicomTags.ServiceEpisodeID.Value,
        DicomTags.RequestedProcedureID.Value,
        DicomTags.ScheduledProcedureStepID.Value,
        DicomTags.PerformedProcedureStepID.Value,
        DicomTags.ReferringPhysicianAddress.Value,
        DicomTags.ReferringPhysicianTelephoneNumbers.Value,
        DicomTags.PersonAddress.Value,
        DicomTags.PersonTelephoneNumbers.Value,
        DicomTags.PersonTelecomInformation.Value,
    ];

    private static readonly HashSet<uint> InstitutionTags =
    [
        DicomTags.InstitutionName.Value,
        DicomTags.InstitutionAddress.Value,
        DicomTags.InstitutionalDepartmentName.Value,
    ];

    private static readonly HashSet<uint> DeviceTags =
    [
        DicomTags.StationName.Value,
        DicomTags.DeviceSerialNumber.Value,
    ];

    private static readonly string[] Stop = ["ANONYMOUS", "ANONYMIZED", "UNKNOWN", "NONE", "NULL", "N/A", "NA"];

    private readonly HashSet<string> _substringTokens = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _wordTokens = new(StringComparer.OrdinalIgnoreCase);
    private string[]? _sortedSubstringTokens;

    /// <summary>Tokens matched anywhere (length ≥ <see cref="SubstringMinimumLength"/>), longest first.</summary>
    public IReadOnlyList<string> SubstringTokens =>
        _sortedSubstringTokens ??= _substringTokens.OrderByDescending(t => t.Length).ThenBy(t => t, StringComparer.Ordinal).ToArray();

    /// <summary>Short tokens matched only as whole words.</summary>
    public IReadOnlyCollection<string> WordTokens => _wordTokens;

    /// <summary>Number of tokens.</summary>
    public int Count => _substringTokens.Count + _wordTokens.Count;

    /// <summary>Gathers the tokens of <paramref name="dataset"/> at every depth.</summary>
    /// <param name="dataset">The original (not yet de-identified) dataset.</param>
    /// <param name="options">Enabled options: retained institution or device identity is not treated as identifying.</param>
    public static IdentifierTokens Gather(DicomDataset dataset, IReadOnlySet<DeidOption> options)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var tokens = new IdentifierTokens();
        tokens.Walk(dataset, options);
        return tokens;
    }

    /// <summary>Adds a token (and its parts) explicitly; used for values that are identifying by context.</summary>
    public void Add(string value, bool splitParts)
    {
        var v = value.Trim(' ', '\0', '^', '=');
        AddOne(v);
        if (!splitParts)
        {
            return;
        }

        foreach (var part in v.Split([' ', '^', '=', ',', '\\', '/', ';', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            AddOne(part.Trim('.', '-'));
        }
    }

    private void Walk(DicomDataset ds, IReadOnlySet<DeidOption> options)
    {
        foreach (var element in ds)
        {
            switch (element)
            {
                case DicomSequence seq:
                    foreach (var item in seq.Items)
                    {
                        Walk(item, options);
                    }

                    break;
                case DicomValueElement v when !element.Tag.IsPrivate && v.Length is > 0 and < 65536:
                    Collect(v, ds.CharacterSet, options);
                    break;
            }
        }
    }

    private void Collect(DicomValueElement v, DicomCharacterSet cs, IReadOnlySet<DeidOption> options)
    {
        var tag = v.Tag.Value;
        var vr = EffectiveVR.Of(v);
        var isPerson = vr == DicomVR.PN;
        var isId = IdentifierTags.Contains(tag);
        var isInstitution = InstitutionTags.Contains(tag) && !options.Contains(DeidOption.RetainInstitutionIdentity);
        var isDevice = DeviceTags.Contains(tag) && !options.Contains(DeidOption.RetainDeviceIdentity);
        var isBirthDate = tag == DicomTags.PatientBirthDate.Value;
        if (!isPerson && !isId && !isInstitution && !isDevice && !isBirthDate)
        {
            return;
        }

        string[] values;
        try
        {
            values = EffectiveVR.GetStrings(v, cs);
        }
        catch (DicomValueException)
        {
            return;
        }

        foreach (var value in values)
        {
            if (isBirthDate)
            {
                AddDateForms(value);
            }
            else
            {
                Add(value, splitParts: true);
            }
        }
    }

    private void AddDateForms(string value)
    {
        var v = value.Trim();
        if (!DateOnly.TryParseExact(v, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            AddOne(v);
            return;
        }

        foreach (var f in new[] { "yyyyMMdd", "yyyy-MM-dd", "yyyy.MM.dd", "yyyy/MM/dd", "dd/MM/yyyy", "MM/dd/yyyy", "dd.MM.yyyy", "dd-MM-yyyy", "ddMMyyyy", "MMddyyyy" })
        {
            AddOne(d.ToString(f, CultureInfo.InvariantCulture));
        }
    }

    private void AddOne(string token)
    {
        var t = token.Trim();
        if (t.Length < 2 || Stop.Contains(t, StringComparer.OrdinalIgnoreCase) || t.All(c => !char.IsLetterOrDigit(c)))
        {
            return;
        }

        if (t.Length >= SubstringMinimumLength)
        {
            _substringTokens.Add(t);
            _sortedSubstringTokens = null;
        }
        else
        {
            _wordTokens.Add(t);
        }
    }
}

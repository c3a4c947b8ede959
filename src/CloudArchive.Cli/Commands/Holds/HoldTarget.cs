using System.CommandLine;
using CloudArchive.Cli.Commands.Common;
using CloudArchive.Core.Keys;
using CloudArchive.Core.Lifecycle.Holds;

namespace CloudArchive.Cli.Commands.Holds;

/// <summary>
/// <c>--study KEY</c> or <c>--patient-id ID [--issuer I]</c>: the target of a hold. A Patient ID becomes the archive's
/// pseudonym at once and is never printed, stored or logged.
/// </summary>
internal sealed class HoldTarget
{
    public Option<string?> Study { get; } = new("--study") { Description = "Opaque study key (26 lowercase base32 characters)" };

    public Option<string?> PatientId { get; } = new("--patient-id") { Description = "The patient's Patient ID (0010,0020): every study of the patient, also those ingested later" };

    public Option<string?> Issuer { get; } = new("--issuer") { Description = "Issuer of Patient ID (0010,0021), if the images carry one" };

    public void AddTo(Command command)
    {
        command.Add(Study);
        command.Add(PatientId);
        command.Add(Issuer);
    }

    public bool IsGiven(ParseResult parse) => parse.GetValue(Study) is not null || parse.GetValue(PatientId) is not null;

    /// <summary>The scope and opaque target the options name.</summary>
    public async Task<(LegalHoldScope Scope, string Target)> ResolveAsync(ParseResult parse, Keyring keyring, CancellationToken cancellationToken)
    {
        var study = parse.GetValue(Study);
        var patient = parse.GetValue(PatientId);
        if ((study is null) == (patient is null))
        {
            throw new UsageException("Give exactly one of --study KEY or --patient-id ID.");
        }

        if (study is not null)
        {
            return (LegalHoldScope.Study, LifecycleSession.StudyKey(study, "--study"));
        }

        using var namer = await keyring.GetIndexKeyNamerAsync(cancellationToken).ConfigureAwait(false);
        var pseudonym = PatientPseudonymizer.Pseudonym(namer, patient, parse.GetValue(Issuer))
            ?? throw new UsageException("--patient-id must not be empty.");
        return (LegalHoldScope.Patient, pseudonym);
    }
}

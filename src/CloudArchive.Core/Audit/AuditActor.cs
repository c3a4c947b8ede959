using System.Net;

namespace CloudArchive.Core.Audit;

/// <summary>
/// Who acted (DICOM ActiveParticipant / FHIR AuditEvent.agent). Workforce and application identities
/// only; a patient is never an actor here (patients appear only as <see cref="AuditEvent.Patient"/>
/// pseudonyms).
/// </summary>
public sealed record AuditActor
{
    /// <summary>Creates an actor; every field is validated against its code-like format.</summary>
    /// <param name="id">Entra object id or app id (a GUID), or <c>app:</c>/<c>svc:</c>/<c>cli:</c>/<c>system:</c> + name for the archive's own components.</param>
    /// <param name="upn">User principal name, for people.</param>
    /// <param name="app">The application acting or through which the person acted (e.g. <c>cloudarchive-functions</c>).</param>
    /// <param name="role">Role code (e.g. <c>ingest</c>, <c>privacy-officer</c>, <c>researcher</c>).</param>
    /// <param name="isRequestor">True when this actor initiated the action (DICOM UserIsRequestor).</param>
    /// <param name="clientIp">The network address the request came from, if any.</param>
    /// <exception cref="ArgumentException">A field does not have its required format.</exception>
    public AuditActor(string id, string? upn = null, string? app = null, string? role = null, bool isRequestor = true, IPAddress? clientIp = null)
    {
        Id = AuditFieldRules.Require(id, AuditFieldRules.ActorId(), "actor.id", "a GUID or app:/svc:/cli:/system: followed by a name");
        Upn = upn is null ? null : AuditFieldRules.Require(upn, AuditFieldRules.Upn(), "actor.upn", "a user principal name");
        App = app is null ? null : AuditFieldRules.Require(app, AuditFieldRules.Code(), "actor.app", "an application code");
        Role = role is null ? null : AuditFieldRules.Require(role, AuditFieldRules.Code(), "actor.role", "a role code");
        IsRequestor = isRequestor;
        ClientIp = clientIp;
    }

    /// <summary>Object id / app id, or a component name with prefix.</summary>
    public string Id { get; }

    /// <summary>User principal name, if a person.</summary>
    public string? Upn { get; }

    /// <summary>Application code, if any.</summary>
    public string? App { get; }

    /// <summary>Role code, if any.</summary>
    public string? Role { get; }

    /// <summary>True when the actor initiated the action.</summary>
    public bool IsRequestor { get; }

    /// <summary>The client network address, if any.</summary>
    public IPAddress? ClientIp { get; }

    /// <summary>Value equality including the IP address.</summary>
    public bool Equals(AuditActor? other) =>
        other is not null && Id == other.Id && Upn == other.Upn && App == other.App && Role == other.Role
        && IsRequestor == other.IsRequestor && Equals(ClientIp, other.ClientIp);

    /// <summary>Hash consistent with <see cref="Equals(AuditActor)"/>.</summary>
    public override int GetHashCode() => HashCode.Combine(Id, Upn, App, Role, IsRequestor, ClientIp);
}

using CloudArchive.Core.Audit;
using CloudArchive.Core.Research.Agreements;
using CloudArchive.Core.Research.Publication;
using CloudArchive.Functions.Functions.Research;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CloudArchive.Functions.Composition;

/// <summary>
/// Composes the researcher API (<see cref="ResearchApiHandler"/>): its options (section
/// <c>CloudArchive:ResearchApi</c>: <c>RequestsPerMinute</c>, <c>Burst</c>, validated at start-up) and the
/// per-principal rate limiter. The stores it reads (<see cref="IAgreementStore"/>, <see cref="IResearchStore"/>) and
/// the <see cref="AuditLogWriter"/> come from the research and ingest registrations and are resolved from DI when the
/// handler is first needed.
/// </summary>
public static class ResearchApiRegistration
{
    /// <summary>Registers the researcher API services.</summary>
    /// <exception cref="InvalidOperationException">The <c>CloudArchive:ResearchApi</c> settings are invalid.</exception>
    public static void AddResearchApi(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new ResearchApiOptions();
        builder.Configuration.GetSection(ResearchApiOptions.Section).Bind(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Invalid researcher API configuration:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", problems));
        }

        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(options);
        services.TryAddSingleton(sp => new ResearchRateLimiter(sp.GetRequiredService<ResearchApiOptions>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new ResearchApiHandler(
            sp.GetRequiredService<IAgreementStore>(),
            sp.GetRequiredService<IResearchStore>(),
            sp.GetRequiredService<AuditLogWriter>(),
            sp.GetRequiredService<ResearchRateLimiter>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ResearchApiHandler>>()));
    }
}

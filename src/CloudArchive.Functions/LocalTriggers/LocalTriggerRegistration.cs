namespace CloudArchive.Functions.LocalTriggers;

/// <summary>Registers the local trigger loop when <c>LocalTriggers:Enabled</c> is true.</summary>
public static class LocalTriggerRegistration
{
    /// <summary>Adds the hosted service and its options if enabled in configuration; otherwise does nothing.</summary>
    /// <returns>True when local triggers were registered.</returns>
    public static bool AddLocalTriggers(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(LocalTriggerOptions.Section);
        if (!section.GetValue<bool>(nameof(LocalTriggerOptions.Enabled)))
        {
            return false;
        }

        builder.Services.AddOptions<LocalTriggerOptions>().Bind(section);
        builder.Services.AddSingleton<LocalTriggerStorage>();
        builder.Services.AddHostedService<LocalTriggerService>();
        return true;
    }
}

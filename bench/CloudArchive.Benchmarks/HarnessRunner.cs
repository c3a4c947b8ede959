namespace CloudArchive.Benchmarks;

/// <summary>Finds the <see cref="IHarness"/> implementations in this assembly and runs the one asked for.</summary>
public static class HarnessRunner
{
    /// <summary>Runs <c>args[0]</c> with the remaining arguments, or lists the harnesses.</summary>
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var harnesses = typeof(HarnessRunner).Assembly.GetTypes()
            .Where(t => typeof(IHarness).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Select(t => (IHarness)Activator.CreateInstance(t)!)
            .OrderBy(h => h.Name, StringComparer.Ordinal)
            .ToList();

        if (args.Length == 0 || args[0] == "list")
        {
            foreach (var h in harnesses)
            {
                Console.WriteLine($"{h.Name,-24} {h.Description}");
            }

            return args.Length == 0 ? 1 : 0;
        }

        var harness = harnesses.FirstOrDefault(h => h.Name == args[0]);
        if (harness is null)
        {
            Console.Error.WriteLine($"unknown harness '{args[0]}'; try 'harness list'");
            return 2;
        }

        return await harness.RunAsync(args.Skip(1).ToArray(), cancellationToken).ConfigureAwait(false);
    }
}

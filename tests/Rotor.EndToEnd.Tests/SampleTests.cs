using System.Diagnostics;
using Rotor.EndToEnd.Tests.Infrastructure;

namespace Rotor.EndToEnd.Tests;

/// <summary>
/// The README's .NET sample, run as the README says (<c>--register</c>) against a real host that requires email
/// verification: it takes the emailed code (from the pickup folder, or typed in) and finishes.
/// </summary>
public sealed class SampleTests(BrowserFixture browser) : EndToEndTest(browser)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Register_reads_the_code_from_the_pickup_folder_and_finishes()
    {
        var host = StartHost(new Dictionary<string, string?> { ["Rotor:RequireEmailVerification"] = "true" });
        var user = "s" + Guid.NewGuid().ToString("N")[..10];

        var (exit, output) = await RunSampleAsync(host, user, host.MailDirectory, typeCode: false);

        Assert.True(exit == 0, $"The sample ended with {exit}:\n{output}");
        Assert.Contains("register: 201", output, StringComparison.Ordinal);
        Assert.Contains("verification code read from", output, StringComparison.Ordinal);
        Assert.Contains("email verified", output, StringComparison.Ordinal);
        Assert.Contains($"signed in as {user}", output, StringComparison.Ordinal);
        Assert.Contains("signed out: True", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_asks_for_the_code_when_there_is_no_pickup_folder_and_finishes()
    {
        var host = StartHost(new Dictionary<string, string?> { ["Rotor:RequireEmailVerification"] = "true" });
        var user = "s" + Guid.NewGuid().ToString("N")[..10];

        var (exit, output) = await RunSampleAsync(host, user, Path.Combine(host.MailDirectory, "not-here"), typeCode: true);

        Assert.True(exit == 0, $"The sample ended with {exit}:\n{output}");
        Assert.Contains($"Verification code emailed to {user}@example.com", output, StringComparison.Ordinal);
        Assert.Contains($"signed in as {user}", output, StringComparison.Ordinal);
        Assert.Contains("signed out: True", output, StringComparison.Ordinal);
    }

    /// <summary>Runs the built sample; with <paramref name="typeCode"/>, types the mailed code when it asks.</summary>
    private static async Task<(int Exit, string Output)> RunSampleAsync(RotorTestHost host, string user, string mailFolder, bool typeCode)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])[SamplePath(), "--server", host.Address.ToString(), "--user", user, "--register", "--mail", mailFolder])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ROTOR_PASSWORD"] = RotorTestHost.Password;
        using var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(Limit);
        try
        {
            var typed = false;
            var buffer = new char[256];
            while (true)
            {
                var read = await process.StandardOutput.ReadAsync(buffer, cancel.Token);
                if (read == 0)
                {
                    break;
                }

                output.Append(buffer, 0, read);
                if (typeCode && !typed && output.ToString().Contains("Verification code emailed to", StringComparison.Ordinal))
                {
                    typed = true;
                    var code = await Mailbox.WaitForCodeAsync(host.MailDirectory, user + "@example.com");
                    await process.StandardInput.WriteLineAsync(code);
                    await process.StandardInput.FlushAsync(cancel.Token);
                }
            }

            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The sample did not finish within {Limit.TotalSeconds} s:\n{output}");
        }

        return (process.ExitCode, output + await error);
    }

    /// <summary>The sample's build output next to this test's (same configuration and framework).</summary>
    private static string SamplePath()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        for (var dir = testOutput; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "samples", "Rotor.Client.Sample", "bin", configuration, framework, "Rotor.Client.Sample.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"The sample is not built for {configuration}/{framework}; build tests/Rotor.EndToEnd.Tests, which builds it.");
    }
}

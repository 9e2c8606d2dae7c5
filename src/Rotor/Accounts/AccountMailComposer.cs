using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Rotor.Email;
using Rotor.Storage;

namespace Rotor.Accounts;

/// <summary>Makes verification codes and reset tokens for queued jobs and writes the mails that carry them.</summary>
internal sealed class AccountMailComposer<TUser>(
    UserManager<TUser> users,
    IAccountTokenStore tokens,
    TimeProvider time,
    IOptions<RotorOptions> options) : IAccountMailComposer
    where TUser : IdentityUser
{
    private readonly RotorOptions _options = options.Value;

    public async Task<RotorEmailMessage?> ComposeAsync(RotorMailJob job, CancellationToken cancellationToken)
    {
        var user = await users.FindByEmailAsync(job.Email.Trim());
        if (user?.Email is not { } address)
        {
            return null;
        }

        var now = time.GetUtcNow();
        switch (job.Kind)
        {
            case RotorMailJob.VerifyEmail:
                if (user.EmailConfirmed)
                {
                    return null;
                }

                var code = AccountSecrets.NewCode();
                await tokens.IssueAsync(AccountSecrets.Create(user.Id, AccountTokenPurposes.VerifyEmail, code, now, AccountSecrets.CodeLifetime), cancellationToken);
                return VerificationMail(address, user.UserName, code);

            case RotorMailJob.ResetPassword:
                var id = Guid.CreateVersion7(now);
                var token = AccountSecrets.NewResetToken(id, out var secret);
                await tokens.IssueAsync(AccountSecrets.Create(user.Id, AccountTokenPurposes.ResetPassword, secret, now, _options.PasswordResetLifetime, id), cancellationToken);
                var link = _options.PublicOrigin.TrimEnd('/') + "/reset-password?token=" + Uri.EscapeDataString(token);
                return ResetMail(address, user.UserName, link, _options.PasswordResetLifetime);

            default:
                return null;
        }
    }

    private static RotorEmailMessage VerificationMail(string to, string? userName, string code)
    {
        var minutes = (int)AccountSecrets.CodeLifetime.TotalMinutes;
        var text = $"""
            Hello {userName},

            Your verification code is: {code}

            Enter it on the verification page to finish setting up your account. It works once, for {minutes} minutes; asking for a new code makes this one stop working.

            If you did not create an account, ignore this email.
            """;
        var html = $"""
            <!DOCTYPE html>
            <html><body style="font-family: sans-serif">
            <p>Hello {Html(userName)},</p>
            <p>Your verification code is:</p>
            <p style="font-size: 28px; font-weight: bold; letter-spacing: 4px">{Html(code)}</p>
            <p>Enter it on the verification page to finish setting up your account. It works once, for {minutes} minutes; asking for a new code makes this one stop working.</p>
            <p>If you did not create an account, ignore this email.</p>
            </body></html>
            """;
        return new RotorEmailMessage(to, $"Your verification code: {code}", text, html);
    }

    private static RotorEmailMessage ResetMail(string to, string? userName, string link, TimeSpan lifetime)
    {
        var valid = lifetime.TotalMinutes >= 120 && lifetime.TotalHours == Math.Floor(lifetime.TotalHours)
            ? $"{lifetime.TotalHours.ToString(CultureInfo.InvariantCulture)} hours"
            : lifetime == TimeSpan.FromHours(1) ? "one hour" : $"{Math.Ceiling(lifetime.TotalMinutes).ToString(CultureInfo.InvariantCulture)} minutes";
        var text = $"""
            Hello {userName},

            Someone asked to reset the password of your account. To choose a new password, open this link:

            {link}

            The link works once, for {valid}. Resetting the password signs you out on every device.

            If you did not ask for this, ignore this email: your password stays as it is.
            """;
        var html = $"""
            <!DOCTYPE html>
            <html><body style="font-family: sans-serif">
            <p>Hello {Html(userName)},</p>
            <p>Someone asked to reset the password of your account. To choose a new password, open this link:</p>
            <p><a href="{Html(link)}">Choose a new password</a></p>
            <p>Or copy this address into your browser: {Html(link)}</p>
            <p>The link works once, for {valid}. Resetting the password signs you out on every device.</p>
            <p>If you did not ask for this, ignore this email: your password stays as it is.</p>
            </body></html>
            """;
        return new RotorEmailMessage(to, "Reset your password", text, html);
    }

    private static string Html(string? value) => WebUtility.HtmlEncode(value ?? "");
}

<#
.SYNOPSIS
Runs a script as a temporary local standard user (member of Users only) on a disposable Windows
runner, through a one-off scheduled task with that user's password (Task Scheduler grants the
batch logon right itself), and waits for it. -OutDir is made writable for that user and is passed
to the script as -OutDir (or -OutFile <OutDir>\<OutFileName>). Removes the user and the task.
Never run this on a machine you care about: it creates and deletes a local account.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string]$File,
    [Parameter(Mandatory)][string]$OutDir,
    [string]$OutFileName,
    [ValidateSet('powershell.exe', 'pwsh.exe')][string]$Shell = 'powershell.exe',
    [int]$TimeoutSeconds = 300
)
$ErrorActionPreference = 'Stop'
$name = 'rdph' + (Get-Random -Minimum 100000 -Maximum 999999)
$bytes = New-Object byte[] 18
[System.Security.Cryptography.RandomNumberGenerator]::Create().GetBytes($bytes)
$password = [Convert]::ToBase64String($bytes) + 'Aa1!'
$secure = ConvertTo-SecureString $password -AsPlainText -Force
$taskName = "RDP Health CI $name"
New-LocalUser -Name $name -Password $secure -AccountNeverExpires -PasswordNeverExpires -UserMayNotChangePassword | Out-Null
try {
    Add-LocalGroupMember -SID 'S-1-5-32-545' -Member $name
    New-Item -ItemType Directory -Force -Path $OutDir | Out-Null
    & "$env:SystemRoot\System32\icacls.exe" $OutDir /grant "${name}:(OI)(CI)M" | Out-Null
    $target = if ($OutFileName) { "-OutFile `"$(Join-Path $OutDir $OutFileName)`"" } else { "-OutDir `"$OutDir`"" }
    $shellPath = if ($Shell -eq 'pwsh.exe') { (Get-Command pwsh.exe).Source } else { "$env:SystemRoot\System32\WindowsPowerShell\v1.0\powershell.exe" }
    $action = New-ScheduledTaskAction -Execute $shellPath -Argument "-NoProfile -NonInteractive -ExecutionPolicy Bypass -File `"$File`" $target"
    $settings = New-ScheduledTaskSettingsSet -ExecutionTimeLimit (New-TimeSpan -Seconds $TimeoutSeconds)
    Register-ScheduledTask -TaskName $taskName -Action $action -Settings $settings -User "$env:COMPUTERNAME\$name" -Password $password -RunLevel Limited | Out-Null
    Start-ScheduledTask -TaskName $taskName
    $deadline = [datetime]::UtcNow.AddSeconds($TimeoutSeconds)
    # 0x41303 (SCHED_S_TASK_HAS_NOT_RUN): started but not yet picked up.
    do {
        Start-Sleep -Seconds 2
        $task = Get-ScheduledTask -TaskName $taskName
        $info = Get-ScheduledTaskInfo -TaskName $taskName
    } while (($task.State -eq 'Running' -or $info.LastTaskResult -eq 0x41303) -and [datetime]::UtcNow -lt $deadline)
    if ($task.State -eq 'Running' -or $info.LastTaskResult -eq 0x41303) { throw "$File did not finish as $name within $TimeoutSeconds s." }
    if ($info.LastTaskResult -ne 0) { throw "$File as $name ended with $($info.LastTaskResult) (0x$('{0:X8}' -f $info.LastTaskResult))." }
} finally {
    Unregister-ScheduledTask -TaskName $taskName -Confirm:$false -ErrorAction SilentlyContinue
    Remove-LocalUser -Name $name -ErrorAction SilentlyContinue
}

#Requires -Version 5.1
<#
.SYNOPSIS
Asks the host checker for a check now, with the user's own rights: runs the Task Scheduler task
\RDP Health\Host Checker and waits, within -TimeoutSeconds, for that run to end.

.DESCRIPTION
The installer registers the task with a security descriptor that lets Users read and run it and
nothing else (Register-RdpHealthHostChecker.ps1), so a standard user's tray can ask for a check
without elevation and without being able to change what runs: Run passes no parameters (the
action takes no $(Arg0)). The task itself drops a run while another is going, and the checker does
not check twice within a minute. The agent then reads the published snapshot as always, verified
(Read-RdpHealthHostSnapshot.ps1).

.OUTPUTS
System.String. One JSON envelope: {"probe":"host-check-request","schema":1,"ok":true,"data":
{"state":"ran"|"still-running"|"absent","lastTaskResult":0,"reason":"..."}}; a refused Run is an
error envelope of kind access-denied.
#>
[CmdletBinding()]
param([ValidateRange(1, 900)][int]$TimeoutSeconds = 120)

$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.Common.psm1')

$script:TaskFolder = '\RDP Health'
$script:TaskName = 'Host Checker'
$script:TaskRunning = 4

function Get-RdpHostCheckerTask {
    <# The registered task, or $null when the folder or the task does not exist (0x80070002). #>
    $service = New-Object -ComObject Schedule.Service
    $service.Connect()
    try {
        $service.GetFolder($script:TaskFolder).GetTask($script:TaskName)
    } catch {
        # PowerShell wraps a COM method's error (MethodInvocationException); the HRESULT is inside.
        for ($e = $_.Exception; $null -ne $e; $e = $e.InnerException) {
            if ($e -is [System.Runtime.InteropServices.COMException] -and $e.HResult -eq -2147024894) { return $null }
        }
        throw
    }
}

function Invoke-RdpHostCheckRequest {
    $task = Get-RdpHostCheckerTask
    if ($null -eq $task) {
        return [ordered]@{ state = 'absent'; lastTaskResult = $null; reason = 'the host checker task \RDP Health\Host Checker is not registered (a portable copy, or a broken install)' }
    }
    $before = $task.LastRunTime
    $null = $task.Run($null)
    $deadline = [datetime]::UtcNow.AddSeconds($TimeoutSeconds)
    do {
        Start-Sleep -Milliseconds 500
        $task = Get-RdpHostCheckerTask
    } while ($null -ne $task -and ($task.State -eq $script:TaskRunning -or $task.LastRunTime -eq $before) -and [datetime]::UtcNow -lt $deadline)
    if ($null -eq $task) { return [ordered]@{ state = 'absent'; lastTaskResult = $null; reason = 'the host checker task went away while it ran' } }
    if ($task.State -eq $script:TaskRunning -or $task.LastRunTime -eq $before) {
        return [ordered]@{ state = 'still-running'; lastTaskResult = $null; reason = "the host checker had not finished after $TimeoutSeconds s" }
    }
    [ordered]@{ state = 'ran'; lastTaskResult = [int]$task.LastTaskResult; reason = $null }
}

Invoke-RdpProbe -Name 'host-check-request' -Body { Invoke-RdpHostCheckRequest }

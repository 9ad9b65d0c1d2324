; RDP Health: additions to electron-builder's NSIS installer (electron-builder.yml, nsis.include).
;
; Install (per machine, elevated):
;   - %ProgramData%\RDP Health\{logs,fixes,shared} with ACLs set by SID (account names are localized):
;       root    SYSTEM and Administrators full control, Users read; owner Administrators; nothing inherited
;       logs    + Users may create files (not folders); CREATOR OWNER may modify: each user writes only their own log
;       fixes   nothing more: fix results and undo records are written only by Administrators and SYSTEM
;       shared  + Users modify: every session's agent writes the host lock and the latest snapshot
;   - the Event Log source "RDP Health" in the Application log
;   - start at sign-in for all users (HKLM Run key): a page in the wizard; silent installs (/S) turn
;     it on unless /NOAUTOSTART is given; an upgrade keeps the previous choice.
; Uninstall (not on an upgrade): removes the Run value, the event source and the data folder
;   (/KEEPDATA keeps logs and fix records); where users can write, only the agent's own files are
;   deleted, never recursively, and a junction found where a folder should be is removed first.
;
; Everything here is a macro electron-builder inserts where it belongs; nothing is declared that a
; build does not use (warningsAsErrors is on, and the uninstaller is compiled from this file too).

!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "x64.nsh"

!define RDPH_DATA_FOLDER "RDP Health"
!define RDPH_RUN_KEY "Software\Microsoft\Windows\CurrentVersion\Run"
!define RDPH_RUN_VALUE "RDP Health"
!define RDPH_EVENTLOG_KEY "SYSTEM\CurrentControlSet\Services\EventLog\Application\RDP Health"
!define RDPH_HIDDEN_ARG "--hidden"
; Well-known SIDs: SYSTEM, BUILTIN\Administrators, BUILTIN\Users, CREATOR OWNER.
!define RDPH_SID_SYSTEM "*S-1-5-18"
!define RDPH_SID_ADMINS "*S-1-5-32-544"
!define RDPH_SID_USERS "*S-1-5-32-545"
!define RDPH_SID_CREATOR_OWNER "*S-1-3-0"

; The 64-bit registry view for the Run key (HKLM\Software is redirected for a 32-bit installer).
!macro rdphRegView64
  ${If} ${RunningX64}
    SetRegView 64
  ${EndIf}
!macroend

; $R9 = %ProgramData%\RDP Health
!macro rdphDataFolder
  ReadEnvStr $R9 "ProgramData"
  ${If} $R9 == ""
    StrCpy $R9 "$WINDIR\..\ProgramData"
  ${EndIf}
  StrCpy $R9 "$R9\${RDPH_DATA_FOLDER}"
!macroend

; A folder someone created before the install may be a junction to another place: remove the link
; itself (RMDir without /r deletes only the link, never the target), then make a real folder.
!macro rdphRealFolder PATH
  System::Call 'kernel32::GetFileAttributes(t "${PATH}") i .r0'
  ${If} $0 != -1
    IntOp $1 $0 & 0x400
    ${If} $1 != 0
      DetailPrint 'Removing the link at ${PATH}'
      RMDir "${PATH}"
    ${EndIf}
  ${EndIf}
  CreateDirectory "${PATH}"
!macroend

; $1 = 1 when PATH is owned by BUILTIN\Administrators or SYSTEM (by SID), else 0. Uses $0 $2 $3.
!macro rdphAdminOwned PATH
  StrCpy $1 0
  ; SE_FILE_OBJECT = 1, OWNER_SECURITY_INFORMATION = 1; $2 = owner SID, $3 = descriptor to free.
  System::Call 'advapi32::GetNamedSecurityInfoW(w "${PATH}", i 1, i 1, *p .r2, p 0, p 0, p 0, *p .r3) i .r0'
  ${If} $0 == 0
    ; WinBuiltinAdministratorsSid = 26, WinLocalSystemSid = 22
    System::Call 'advapi32::IsWellKnownSid(p r2, i 26) i .r0'
    ${If} $0 != 0
      StrCpy $1 1
    ${EndIf}
    System::Call 'advapi32::IsWellKnownSid(p r2, i 22) i .r0'
    ${If} $0 != 0
      StrCpy $1 1
    ${EndIf}
    System::Call 'kernel32::LocalFree(p r3)'
  ${EndIf}
!macroend

; icacls by full path, output to the install log; a failure is logged, not fatal.
!macro rdphIcacls ARGS
  nsExec::ExecToLog '"$SYSDIR\icacls.exe" ${ARGS}'
  Pop $0
  ${If} $0 != "0"
    DetailPrint 'icacls ${ARGS} returned $0'
  ${EndIf}
!macroend

!ifndef BUILD_UNINSTALLER
  !include "nsDialogs.nsh"
  Var RdphAutoStart
  Var RdphAutoStartBox

  !macro customInit
    ; Default for a fresh install: on. An upgrade keeps what the machine has.
    StrCpy $RdphAutoStart "1"
    !insertmacro rdphRegView64
    ReadRegStr $0 HKLM "${INSTALL_REGISTRY_KEY}" "InstallLocation"
    ReadRegStr $1 HKLM "${RDPH_RUN_KEY}" "${RDPH_RUN_VALUE}"
    ${If} $0 != ""
    ${AndIf} $1 == ""
      StrCpy $RdphAutoStart "0"
    ${EndIf}
    ${GetParameters} $R0
    ClearErrors
    ${GetOptions} $R0 "/AUTOSTART" $R1
    ${IfNot} ${Errors}
      StrCpy $RdphAutoStart "1"
    ${EndIf}
    ClearErrors
    ${GetOptions} $R0 "/NOAUTOSTART" $R1
    ${IfNot} ${Errors}
      StrCpy $RdphAutoStart "0"
    ${EndIf}
    ClearErrors
  !macroend

  !macro customPageAfterChangeDir
    Page custom rdphAutoStartPageCreate rdphAutoStartPageLeave

    Function rdphAutoStartPageCreate
      nsDialogs::Create 1018
      Pop $0
      ${If} $0 == error
        Abort
      ${EndIf}
      ${NSD_CreateLabel} 0 0 100% 40u "RDP Health checks that this computer can accept Remote Desktop connections, and warns before it cannot. It runs in the notification area of each signed-in user; on a server with many sessions, one of them checks for all."
      Pop $0
      ${NSD_CreateCheckbox} 0 48u 100% 12u "Start RDP Health when anyone signs in to this computer"
      Pop $RdphAutoStartBox
      ${If} $RdphAutoStart == "1"
        ${NSD_Check} $RdphAutoStartBox
      ${EndIf}
      nsDialogs::Show
    FunctionEnd

    Function rdphAutoStartPageLeave
      ${NSD_GetState} $RdphAutoStartBox $0
      ${If} $0 == ${BST_CHECKED}
        StrCpy $RdphAutoStart "1"
      ${Else}
        StrCpy $RdphAutoStart "0"
      ${EndIf}
    FunctionEnd
  !macroend

  !macro customInstall
    Push $R9
    Push $0
    Push $1
    Push $2
    Push $3
    !insertmacro rdphDataFolder
    !insertmacro rdphRealFolder "$R9"
    !insertmacro rdphRealFolder "$R9\logs"
    !insertmacro rdphRealFolder "$R9\shared"

    ; Root: owned by Administrators; anything planted before the install (explicit entries) is
    ; dropped by /reset, then inheritance is cut and exactly these entries remain.
    !insertmacro rdphIcacls '"$R9" /setowner ${RDPH_SID_ADMINS} /C /Q'
    !insertmacro rdphIcacls '"$R9" /reset /C /Q'
    !insertmacro rdphIcacls '"$R9" /inheritance:r /grant:r ${RDPH_SID_SYSTEM}:(OI)(CI)F ${RDPH_SID_ADMINS}:(OI)(CI)F ${RDPH_SID_USERS}:(OI)(CI)RX /C /Q'

    ; fixes: made only now that the root is locked (users can no longer create anything in it). A
    ; fixes folder that was there before and is not owned by Administrators or SYSTEM was not made
    ; by us: a user could have planted an undo record in it that /setowner /T would then make
    ; admin-owned. Delete it whole (rd /s removes junctions inside without following them) and
    ; start empty.
    !insertmacro rdphRealFolder "$R9\fixes"
    !insertmacro rdphAdminOwned "$R9\fixes"
    ${If} $1 != 1
      DetailPrint 'Removing $R9\fixes: it was not created by this installer'
      nsExec::ExecToLog '"$SYSDIR\cmd.exe" /d /c rd /s /q "$R9\fixes"'
      Pop $0
      CreateDirectory "$R9\fixes"
    ${EndIf}
    ; fixes: reset with everything below it, so it holds only what the root passes down.
    !insertmacro rdphIcacls '"$R9\fixes" /setowner ${RDPH_SID_ADMINS} /T /C /Q'
    !insertmacro rdphIcacls '"$R9\fixes" /reset /T /C /Q'

    ; logs: users create files (WD) here, not folders; each file is its creator's to modify.
    !insertmacro rdphIcacls '"$R9\logs" /setowner ${RDPH_SID_ADMINS} /C /Q'
    !insertmacro rdphIcacls '"$R9\logs" /reset /C /Q'
    !insertmacro rdphIcacls '"$R9\logs" /grant:r ${RDPH_SID_USERS}:(WD) ${RDPH_SID_CREATOR_OWNER}:(OI)(CI)(IO)M /C /Q'

    ; shared: every session replaces the lock and snapshot files another session wrote.
    !insertmacro rdphIcacls '"$R9\shared" /setowner ${RDPH_SID_ADMINS} /C /Q'
    !insertmacro rdphIcacls '"$R9\shared" /reset /C /Q'
    !insertmacro rdphIcacls '"$R9\shared" /grant:r ${RDPH_SID_USERS}:(OI)(CI)M /C /Q'

    ; Event Log source (what New-EventLog registers): .NET's message file passes the text through.
    ${If} ${RunningX64}
      WriteRegExpandStr HKLM "${RDPH_EVENTLOG_KEY}" "EventMessageFile" "%SystemRoot%\Microsoft.NET\Framework64\v4.0.30319\EventLogMessages.dll"
    ${Else}
      WriteRegExpandStr HKLM "${RDPH_EVENTLOG_KEY}" "EventMessageFile" "%SystemRoot%\Microsoft.NET\Framework\v4.0.30319\EventLogMessages.dll"
    ${EndIf}
    WriteRegDWORD HKLM "${RDPH_EVENTLOG_KEY}" "TypesSupported" 7

    ; Start at sign-in for every user, hidden in the notification area.
    !insertmacro rdphRegView64
    ${If} $RdphAutoStart == "1"
      WriteRegStr HKLM "${RDPH_RUN_KEY}" "${RDPH_RUN_VALUE}" '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" ${RDPH_HIDDEN_ARG}'
    ${Else}
      DeleteRegValue HKLM "${RDPH_RUN_KEY}" "${RDPH_RUN_VALUE}"
    ${EndIf}
    Pop $3
    Pop $2
    Pop $1
    Pop $0
    Pop $R9
  !macroend
!endif

!ifdef BUILD_UNINSTALLER
  !macro customUnInstall
    ; An upgrade runs the old uninstaller with --updated: keep everything then.
    ${IfNot} ${isUpdated}
      !insertmacro rdphRegView64
      DeleteRegValue HKLM "${RDPH_RUN_KEY}" "${RDPH_RUN_VALUE}"
      DeleteRegKey HKLM "${RDPH_EVENTLOG_KEY}"
      !insertmacro rdphDataFolder
      ; Users can write in shared (and create files in logs): delete only the files the agent
      ; makes, never recursively, so nothing a user planted there (a junction) is followed.
      Delete "$R9\shared\lock.*.json"
      Delete "$R9\shared\latest-snapshot.json"
      Delete "$R9\shared\rdp_health.prom"
      Delete "$R9\shared\.*.tmp"
      RMDir "$R9\shared"
      ${GetParameters} $R0
      ClearErrors
      ${GetOptions} $R0 "/KEEPDATA" $R1
      ${If} ${Errors}
        Delete "$R9\logs\*.*"
        RMDir "$R9\logs"
        ; Only Administrators and SYSTEM can write in fixes: safe to remove whole.
        RMDir /r "$R9\fixes"
        RMDir "$R9"
      ${EndIf}
      ClearErrors
    ${EndIf}
  !macroend
!endif

/**
 * Who the app is to Windows. The AppUserModelID must be the same in `app.setAppUserModelId`, the
 * installer's Start Menu shortcut and the electron-builder `appId`, or toasts show no name and
 * clicks on them go nowhere: the builder config imports these constants instead of repeating them.
 */
export const APP_ID = 'com.rdphealth.agent';
export const PRODUCT_NAME = 'RDP Health';
/** The custom scheme the window is served from (packaged files only, never http). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'rdp-health';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** Passed by the login item so a start at sign-in stays in the tray. */
export const HIDDEN_ARG = '--hidden';

import TemplatesList from './list.js'

/** `aerakictl templates` is `aerakictl templates list`. */
export default class Templates extends TemplatesList {
  static summary = TemplatesList.summary
}
